#include "proxy/chunk.hpp"

namespace sluice::proxy {

ChunkPool::~ChunkPool() {
    for (Chunk* c : free_) delete c;
}

ChunkRef ChunkPool::get() {
    ++outstanding_;
    if (free_.empty()) return ChunkRef(new Chunk(this));
    Chunk* c = free_.back();
    free_.pop_back();
    return ChunkRef(c);
}

void ChunkPool::give_back(Chunk* c) {
    --outstanding_;
    if (free_.size() < keep_)
        free_.push_back(c);
    else
        delete c;
}

}  // namespace sluice::proxy
