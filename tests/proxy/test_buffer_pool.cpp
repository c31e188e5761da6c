#include <doctest/doctest.h>

#include "proxy/buffer_pool.hpp"

using sluice::proxy::BufferPool;

TEST_CASE("buffer pool: the buffer given back last is lent first, empty") {
    BufferPool pool;
    CHECK(pool.take().capacity() == 0);  // nothing kept yet: a new, empty vector
    std::vector<std::uint8_t> a(100, 1), b(200, 2);
    const std::uint8_t* a_data = a.data();
    const std::uint8_t* b_data = b.data();
    pool.give_back(std::move(a));
    pool.give_back(std::move(b));
    CHECK(pool.kept() == 2);
    auto first = pool.take();
    CHECK(first.data() == b_data);
    CHECK(first.empty());
    CHECK(first.capacity() >= 200);
    auto second = pool.take();
    CHECK(second.data() == a_data);
    CHECK(second.empty());
    CHECK(pool.kept() == 0);
}

TEST_CASE("buffer pool: large buffers, empty ones and those beyond the limit are freed") {
    BufferPool pool;
    pool.give_back(std::vector<std::uint8_t>(BufferPool::kKeptCapacity + 1));
    pool.give_back({});
    CHECK(pool.kept() == 0);
    pool.give_back(std::vector<std::uint8_t>(BufferPool::kKeptCapacity));
    CHECK(pool.kept() == 1);
    for (std::size_t i = 0; i < BufferPool::kKept + 10; ++i) pool.give_back(std::vector<std::uint8_t>(16));
    CHECK(pool.kept() == BufferPool::kKept);
}
