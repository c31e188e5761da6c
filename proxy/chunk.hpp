#pragma once
// Read buffers shared between a read and the writes that forward it, so that bytes read from one socket go
// out on another without a copy. Reference-counted without atomics: a chunk never leaves its event loop.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

namespace sluice::proxy {

inline constexpr std::size_t kChunkSize = 64 * 1024;

class ChunkPool;

class Chunk {
  public:
    char* data() { return data_.get(); }
    const char* data() const { return data_.get(); }
    std::size_t capacity() const { return kChunkSize; }
    std::string_view view(std::size_t off, std::size_t len) const { return {data_.get() + off, len}; }

  private:
    friend class ChunkRef;
    friend class ChunkPool;
    explicit Chunk(ChunkPool* pool) : data_(new char[kChunkSize]), pool_(pool) {}
    std::unique_ptr<char[]> data_;
    ChunkPool* pool_;
    std::uint32_t refs_ = 0;
};

// Owns one reference; the last one gives the chunk back to its pool.
class ChunkRef {
  public:
    ChunkRef() = default;
    explicit ChunkRef(Chunk* c) : c_(c) {
        if (c_) ++c_->refs_;
    }
    ChunkRef(const ChunkRef& o) : ChunkRef(o.c_) {}
    ChunkRef(ChunkRef&& o) noexcept : c_(o.c_) { o.c_ = nullptr; }
    ChunkRef& operator=(ChunkRef o) noexcept {
        std::swap(c_, o.c_);
        return *this;
    }
    ~ChunkRef() { reset(); }
    void reset();
    Chunk* get() const { return c_; }
    Chunk* operator->() const { return c_; }
    explicit operator bool() const { return c_ != nullptr; }

  private:
    Chunk* c_ = nullptr;
};

// Per event loop: keeps a few free chunks so steady-state forwarding allocates nothing.
class ChunkPool {
  public:
    explicit ChunkPool(std::size_t keep = 256) : keep_(keep) {}
    ~ChunkPool();
    ChunkPool(const ChunkPool&) = delete;
    ChunkPool& operator=(const ChunkPool&) = delete;

    ChunkRef get();
    std::size_t outstanding() const { return outstanding_; }

  private:
    friend class ChunkRef;
    void give_back(Chunk* c);
    std::vector<Chunk*> free_;
    std::size_t keep_;
    std::size_t outstanding_ = 0;
};

inline void ChunkRef::reset() {
    if (c_ && --c_->refs_ == 0) c_->pool_->give_back(c_);
    c_ = nullptr;
}

}  // namespace sluice::proxy
