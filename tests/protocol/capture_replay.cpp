#include "capture_replay.hpp"

#include <doctest/doctest.h>

#include "protocol/binary_row.hpp"
#include "protocol/column_definition.hpp"
#include "protocol/handshake.hpp"
#include "protocol/handshake_response.hpp"
#include "protocol/ok_packet.hpp"
#include "protocol/packet_framer.hpp"
#include "protocol/text_row.hpp"

namespace sluice::protocol::test {

namespace {
constexpr std::size_t kMaxTestPayload = std::size_t{1} << 30;

struct StatementInfo {
    std::size_t params = 0;
    std::vector<ParamType> bound;
    std::vector<ColumnType> columns;  // from the last execute's definitions (cursor fetches reuse them)
};

class Replayer {
  public:
    ReplayResult run(const std::vector<CapturedPacket>& packets);

  private:
    void on_payload(bool from_client, std::string_view payload, std::uint8_t seq);
    void on_client(std::string_view payload);
    void on_server(std::string_view payload);
    void start_command(std::string_view payload);
    void check_execute(std::string_view payload);
    void deep_parse(std::string_view payload);
    void record();

    enum class Phase { greeting, login_response, commands };
    Phase phase_ = Phase::greeting;
    Capabilities server_caps_ = 0;
    Capabilities caps_ = 0;
    std::uint8_t next_seq_ = 0;
    std::optional<ResponseTracker> full_;  // fed whole payloads
    std::optional<ResponseTracker> head_;  // fed only kPayloadHeadBytes, as a forwarder would
    std::map<std::uint32_t, StatementInfo> statements_;
    std::uint32_t current_stmt_ = 0;
    std::vector<ColumnType> types_;  // column types of the result set being read
    ReplayResult result_;
};

ReplayResult Replayer::run(const std::vector<CapturedPacket>& packets) {
    PacketFramer client(kMaxTestPayload), server(kMaxTestPayload);
    for (const auto& pkt : packets) {
        PacketFramer& f = pkt.from_client ? client : server;
        bool new_command = pkt.from_client && phase_ == Phase::commands &&
                           (!full_ || full_->status() == TrackerStatus::complete) && f.at_payload_boundary();
        if (new_command) next_seq_ = 0;  // every command restarts the sequence
        if (f.at_payload_boundary()) f.expect_sequence(next_seq_);
        f.feed(pkt.wire);
        auto frame = f.next();
        REQUIRE(frame.ok());
        next_seq_ = f.expected_sequence();
        if (!frame->has_value()) continue;  // a continuation packet: the payload is not whole yet
        on_payload(pkt.from_client, (*frame)->payload, (*frame)->first_seq);
    }
    CHECK(client.buffered() == 0);
    CHECK(server.buffered() == 0);
    REQUIRE(full_.has_value());
    CHECK(full_->status() == TrackerStatus::complete);
    return result_;
}

void Replayer::on_payload(bool from_client, std::string_view payload, std::uint8_t) {
    ByteReader r(payload);
    switch (phase_) {
        case Phase::greeting: {
            auto h = HandshakeV10::parse(r);
            REQUIRE(h.ok());
            server_caps_ = h->capabilities;
            phase_ = Phase::login_response;
            return;
        }
        case Phase::login_response: {
            REQUIRE(from_client);
            auto resp = HandshakeResponse41::parse(r);
            REQUIRE(resp.ok());
            caps_ = resp->capabilities & server_caps_;
            result_.caps = caps_;
            full_ = ResponseTracker::for_login(caps_);
            head_ = ResponseTracker::for_login(caps_);
            ReplayedCommand login;
            login.name = "login";
            result_.commands.push_back(login);
            phase_ = Phase::commands;
            return;
        }
        case Phase::commands: break;
    }
    if (from_client) {
        on_client(payload);
    } else {
        on_server(payload);
    }
}

void Replayer::on_client(std::string_view payload) {
    if (full_ && full_->status() == TrackerStatus::need_client) {
        auto st = full_->on_client_payload(payload);
        CHECK(head_->on_client_payload(payload.substr(0, kPayloadHeadBytes), payload.size()) == st);
        record();
        return;
    }
    // The previous response must have ended exactly here: not earlier, not later.
    REQUIRE(full_.has_value());
    REQUIRE(to_string(full_->status()) == to_string(TrackerStatus::complete));
    start_command(payload);
}

void Replayer::start_command(std::string_view payload) {
    auto cmd = command_of(payload);
    REQUIRE(cmd.has_value());
    full_.emplace(*cmd, caps_);
    head_.emplace(*cmd, caps_);
    ReplayedCommand rc;
    rc.name = std::string(cmd->name());
    result_.commands.push_back(rc);
    types_.clear();
    bool statement = cmd->id() == CommandByte::stmt_execute || cmd->id() == CommandByte::stmt_fetch;
    if (statement) current_stmt_ = *peek_statement_id(payload);
    if (cmd->id() == CommandByte::stmt_execute) check_execute(payload);
}

void Replayer::check_execute(std::string_view payload) {
    auto& info = statements_[current_stmt_];
    ByteReader r(payload);
    auto e = ComStmtExecute::parse(r, caps_, info.params, info.bound);
    REQUIRE(e.ok());
    info.bound = e->types;
}

void Replayer::on_server(std::string_view payload) {
    REQUIRE(full_.has_value());
    REQUIRE(full_->status() == TrackerStatus::need_server);
    deep_parse(payload);
    auto st = full_->on_server_payload(payload);
    REQUIRE(to_string(st) != to_string(TrackerStatus::protocol_error));
    CHECK(head_->on_server_payload(payload.substr(0, kPayloadHeadBytes), payload.size()) == st);
    record();
}

// Parses the payload as whatever the tracker's current state says it must be.
void Replayer::deep_parse(std::string_view payload) {
    using State = ResponseTracker::State;
    ByteReader r(payload);
    bool binary = full_->command().id() == CommandByte::stmt_execute ||
                  full_->command().id() == CommandByte::stmt_fetch;
    if (is_progress_report(payload)) return;
    switch (full_->state()) {
        case State::column_defs:
        case State::prepare_params:
        case State::prepare_columns:
        case State::field_list: {
            if (is_err(payload) || is_rows_terminator(payload, payload.size(), caps_)) return;
            auto c = ColumnDefinition::parse(r, caps_);
            REQUIRE(c.ok());
            if (full_->state() == State::column_defs) {
                types_.push_back(c->type);
                // Cached metadata and cursor fetches reuse the statement's last column definitions.
                if (binary) statements_[current_stmt_].columns = types_;
            }
            return;
        }
        case State::first_packet:
            types_.clear();  // a new result (multi-results start over here)
            if (first_byte(payload) == kOkHeader && full_->command().id() != CommandByte::stmt_prepare) {
                CHECK(OkPacket::parse(r, caps_).ok());
            }
            if (full_->command().id() == CommandByte::stmt_prepare && first_byte(payload) == kOkHeader) {
                auto p = PrepareOk::parse(r, caps_);
                REQUIRE(p.ok());
                statements_[p->statement_id] = StatementInfo{p->params, {}, {}};
            }
            return;
        case State::rows: {
            if (is_err(payload)) return;
            if (is_rows_terminator(payload, payload.size(), caps_)) {
                if (is_eof(payload, payload.size())) {
                    CHECK(EofPacket::parse(r, caps_).ok());
                } else {
                    CHECK(OkPacket::parse(r, caps_).ok());
                }
                return;
            }
            if (!binary) {
                CHECK(TextRow::parse(r, caps_, types_.size()).ok());
                return;
            }
            CHECK(BinaryRow::parse(r, caps_, statements_[current_stmt_].columns).ok());
            return;
        }
        default: return;
    }
}

void Replayer::record() {
    auto& c = result_.commands.back();
    c.result_sets = full_->result_sets();
    c.rows = full_->rows();
    c.progress_reports = full_->progress_reports();
    if (full_->error()) c.error_code = full_->error()->code;
    c.status = full_->server_status();
    c.cursor_opened = full_->cursor_opened();
    c.prepare_ok = full_->prepare_ok();
}
}  // namespace

ReplayResult replay_capture(const std::string& name) {
    Replayer r;
    return r.run(load_capture(name));
}

}  // namespace sluice::protocol::test
