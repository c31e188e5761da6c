#pragma once
// Loads a capture from tests/data (format: tests/data/README.md) into whole packets per direction.

#include <cstdint>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "tests/protocol/capture_dir.hpp"

namespace sluice::protocol::test {

struct CapturedPacket {
    bool from_client = false;
    std::string wire;  // header + payload
};

inline std::string decode_capture_tokens(std::istringstream& in) {
    std::string out, tok;
    while (in >> tok) {
        auto star = tok.find('*');
        if (star != std::string::npos) {
            char byte = static_cast<char>(std::stoi(tok.substr(0, star), nullptr, 16));
            out.append(std::stoull(tok.substr(star + 1)), byte);
            continue;
        }
        for (std::size_t i = 0; i + 1 < tok.size(); i += 2)
            out.push_back(static_cast<char>(std::stoi(tok.substr(i, 2), nullptr, 16)));
    }
    return out;
}

inline std::vector<CapturedPacket> load_capture(const std::string& name) {
    std::ifstream f(std::string(SLUICE_TEST_DATA_DIR) + "/" + name);
    if (!f) throw std::runtime_error("missing capture " + name);
    std::vector<CapturedPacket> out;
    std::string line;
    while (std::getline(f, line)) {
        if (line.empty() || line[0] == '#') continue;
        std::istringstream in(line);
        std::string dir;
        in >> dir;
        out.push_back(CapturedPacket{dir == "C", decode_capture_tokens(in)});
    }
    return out;
}

}  // namespace sluice::protocol::test
