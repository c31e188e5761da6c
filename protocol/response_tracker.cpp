#include "protocol/response_tracker.hpp"

#include "protocol/auth_switch.hpp"
#include "protocol/byte_reader.hpp"
#include "protocol/ok_packet.hpp"
#include "protocol/result_set.hpp"

namespace sluice::protocol {

namespace {
using State = ResponseTracker::State;

State initial_state(ResponseKind kind) {
    switch (kind) {
        case ResponseKind::none: return State::done;
        case ResponseKind::field_list: return State::field_list;
        case ResponseKind::fetch: return State::rows;
        case ResponseKind::auth: return State::auth_server;
        case ResponseKind::unsupported: return State::failed;
        case ResponseKind::ok:
        case ResponseKind::eof_or_ok:
        case ResponseKind::result:
        case ResponseKind::statistics:
        case ResponseKind::prepare: return State::first_packet;
    }
    return State::failed;
}

// Where each state may go next; anything else is a bug in the tracker, caught here rather than acted on.
bool legal_transition(State from, State to) {
    if (to == State::failed || to == State::done) return true;
    switch (from) {
        case State::first_packet:
            return to == State::column_defs || to == State::column_defs_eof || to == State::rows ||
                   to == State::local_infile_data || to == State::prepare_params ||
                   to == State::prepare_columns || to == State::first_packet;
        case State::column_defs: return to == State::column_defs_eof || to == State::rows;
        case State::column_defs_eof: return to == State::rows;
        case State::rows: return to == State::first_packet;
        case State::local_infile_data: return to == State::local_infile_result;
        case State::local_infile_result: return to == State::first_packet;
        case State::prepare_params: return to == State::prepare_params_eof || to == State::prepare_columns;
        case State::prepare_params_eof: return to == State::prepare_columns;
        case State::prepare_columns: return to == State::prepare_columns_eof;
        case State::prepare_columns_eof: return false;
        case State::field_list: return false;
        case State::auth_server: return to == State::auth_client || to == State::auth_server;
        case State::auth_client: return to == State::auth_server;
        case State::done:
        case State::failed: return false;
    }
    return false;
}

constexpr std::uint8_t kAuthSwitch = kAuthSwitchHeader;
constexpr std::uint8_t kAuthMoreData = kAuthMoreDataHeader;
constexpr char kFastAuthSuccess = 0x03;  // caching_sha2_password: an OK follows
}  // namespace

ResponseTracker::ResponseTracker(Command command, Capabilities caps)
    : ResponseTracker(command, caps, initial_state(command.response())) {}

ResponseTracker::ResponseTracker(Command command, Capabilities caps, State initial)
    : command_(command), caps_(caps), state_(initial) {}

ResponseTracker ResponseTracker::for_login(Capabilities caps) {
    return ResponseTracker(protocol::command(CommandByte::change_user), caps, State::auth_server);
}

TrackerStatus ResponseTracker::status() const {
    switch (state_) {
        case State::done: return TrackerStatus::complete;
        case State::failed: return TrackerStatus::protocol_error;
        case State::local_infile_data:
        case State::auth_client: return TrackerStatus::need_client;
        default: return TrackerStatus::need_server;
    }
}

TrackerStatus ResponseTracker::move_to(State next) {
    state_ = legal_transition(state_, next) ? next : State::failed;
    return status();
}

TrackerStatus ResponseTracker::on_server_payload(std::string_view head, std::size_t length) {
    if (status() != TrackerStatus::need_server) return move_to(State::failed);
    // MariaDB progress reports may come at any point of a long statement; they are not part of the response.
    if (has(caps_, cap::kMariaDbProgress) && is_progress_report(head)) {
        ++progress_reports_;
        return status();
    }
    switch (state_) {
        case State::first_packet: return on_first_packet(head, length);
        case State::column_defs: return on_column_def(head);
        case State::column_defs_eof: return on_column_defs_eof(head, length);
        case State::rows: return on_row(head, length);
        case State::local_infile_result: return on_local_infile_result(head, length);
        case State::prepare_params:
        case State::prepare_columns: return on_prepare_def(head);
        case State::prepare_params_eof:
        case State::prepare_columns_eof: return on_prepare_eof(head, length);
        case State::field_list: return on_field_list(head, length);
        case State::auth_server: return on_auth_server(head, length);
        case State::local_infile_data:
        case State::auth_client:
        case State::done:
        case State::failed: break;
    }
    return move_to(State::failed);
}

TrackerStatus ResponseTracker::on_client_payload(std::string_view, std::size_t length) {
    switch (state_) {
        case State::local_infile_data:
            // The file's content, then one empty packet to say it is over.
            return length == 0 ? move_to(State::local_infile_result) : status();
        case State::auth_client: return move_to(State::auth_server);
        default: return move_to(State::failed);
    }
}

// ------------------------------------------------------------------------------------------ first packet

TrackerStatus ResponseTracker::on_first_packet(std::string_view head, std::size_t length) {
    if (is_err(head)) return finish_err(head);
    switch (command_.response()) {
        case ResponseKind::ok:
        case ResponseKind::eof_or_ok: return on_first_simple(head, length);
        case ResponseKind::statistics: return move_to(State::done);  // one string packet, whatever it says
        case ResponseKind::prepare: return on_first_prepare(head, length);
        case ResponseKind::result: return on_first_result(head, length);
        default: return move_to(State::failed);
    }
}

TrackerStatus ResponseTracker::on_first_simple(std::string_view head, std::size_t length) {
    auto first = first_byte(head);
    if (first == kOkHeader) return finish_ok(head);
    // COM_SET_OPTION, COM_DEBUG, COM_SHUTDOWN answer with an EOF (an 0xFE OK under CLIENT_DEPRECATE_EOF).
    if (first == kEofHeader && command_.response() == ResponseKind::eof_or_ok)
        return finish_terminator(head, length);
    return move_to(State::failed);
}

TrackerStatus ResponseTracker::on_first_result(std::string_view head, std::size_t length) {
    auto first = first_byte(head);
    if (first == kOkHeader) return finish_ok(head);
    if (first == kLocalInfileHeader) return move_to(State::local_infile_data);
    ByteReader r(head.substr(0, length));
    auto count = ColumnCount::parse(r, caps_);
    if (!count) return move_to(State::failed);
    ++result_sets_;
    defs_left_ = count->count;
    if (!count->metadata_follows) {
        // Cached metadata: no definitions; the EOF that would end them still comes without DEPRECATE_EOF.
        return move_to(has(caps_, cap::kDeprecateEof) ? State::rows : State::column_defs_eof);
    }
    return move_to(State::column_defs);
}

TrackerStatus ResponseTracker::on_first_prepare(std::string_view head, std::size_t) {
    ByteReader r(head);
    auto ok = PrepareOk::parse(r, caps_);
    if (!ok) return move_to(State::failed);
    prepare_ok_ = *ok;
    if (ok->params > 0) {
        defs_left_ = ok->params;
        return move_to(State::prepare_params);
    }
    return after_prepare_block(true);
}

// ------------------------------------------------------------------------------------------ result sets

TrackerStatus ResponseTracker::on_column_def(std::string_view head) {
    if (is_err(head)) return finish_err(head);
    if (--defs_left_ > 0) return status();
    return move_to(has(caps_, cap::kDeprecateEof) ? State::rows : State::column_defs_eof);
}

TrackerStatus ResponseTracker::on_column_defs_eof(std::string_view head, std::size_t length) {
    if (is_err(head)) return finish_err(head);
    if (!is_eof(head, length)) return move_to(State::failed);
    auto eof = peek_eof(head);
    if (!eof) return move_to(State::failed);
    server_status_ = eof->status_flags;
    // A cursor opened by COM_STMT_EXECUTE: the rows wait for COM_STMT_FETCH, the response ends here.
    if (command_.id() == CommandByte::stmt_execute && has_status(eof->status_flags, status::kCursorExists)) {
        cursor_opened_ = true;
        return move_to(State::done);
    }
    return move_to(State::rows);
}

TrackerStatus ResponseTracker::on_row(std::string_view head, std::size_t length) {
    if (is_err(head)) return finish_err(head);
    if (ends_block(head, length)) return finish_terminator(head, length);
    ++rows_;
    return status();
}

TrackerStatus ResponseTracker::on_local_infile_result(std::string_view head, std::size_t) {
    if (is_err(head)) return finish_err(head);
    if (first_byte(head) == kOkHeader) return finish_ok(head);
    return move_to(State::failed);
}

// ----------------------------------------------------------------------------------------------- prepare

TrackerStatus ResponseTracker::on_prepare_def(std::string_view head) {
    if (is_err(head)) return finish_err(head);
    if (--defs_left_ > 0) return status();
    bool params = state_ == State::prepare_params;
    if (!has(caps_, cap::kDeprecateEof))
        return move_to(params ? State::prepare_params_eof : State::prepare_columns_eof);
    return after_prepare_block(params);
}

TrackerStatus ResponseTracker::on_prepare_eof(std::string_view head, std::size_t length) {
    if (!is_eof(head, length)) return move_to(State::failed);
    if (auto eof = peek_eof(head)) server_status_ = eof->status_flags;
    return after_prepare_block(state_ == State::prepare_params_eof);
}

TrackerStatus ResponseTracker::after_prepare_block(bool params_done) {
    if (params_done && prepare_ok_->columns > 0) {
        defs_left_ = prepare_ok_->columns;
        return move_to(State::prepare_columns);
    }
    return move_to(State::done);
}

// ------------------------------------------------------------------------------------------ other shapes

TrackerStatus ResponseTracker::on_field_list(std::string_view head, std::size_t length) {
    if (is_err(head)) return finish_err(head);
    if (ends_block(head, length)) return finish_terminator(head, length);
    return status();
}

TrackerStatus ResponseTracker::on_auth_server(std::string_view head, std::size_t length) {
    if (is_err(head)) return finish_err(head);
    auto first = first_byte(head);
    if (first == kOkHeader) return finish_ok(head);
    if (first == kAuthSwitch) return move_to(State::auth_client);
    if (first == kAuthMoreData) {
        // caching_sha2_password's "fast auth success" is followed by the server's OK, not by the client.
        bool fast_ok = length == 2 && head.size() >= 2 && head[1] == kFastAuthSuccess;
        return move_to(fast_ok ? State::auth_server : State::auth_client);
    }
    return move_to(State::failed);
}

// ------------------------------------------------------------------------------------------------- ends

bool ResponseTracker::ends_block(std::string_view head, std::size_t length) const {
    return is_rows_terminator(head, length, caps_);
}

TrackerStatus ResponseTracker::finish_ok(std::string_view head) {
    auto ok = peek_ok(head);
    if (!ok) return move_to(State::failed);
    last_ok_ = *ok;
    warnings_ = ok->warnings;
    return finish_with_status(ok->status_flags);
}

TrackerStatus ResponseTracker::finish_terminator(std::string_view head, std::size_t length) {
    if (!is_eof(head, length)) return finish_ok(head);  // the 0xFE OK of CLIENT_DEPRECATE_EOF
    auto eof = peek_eof(head);
    if (!eof) return move_to(State::failed);
    warnings_ = eof->warnings;
    return finish_with_status(eof->status_flags);
}

TrackerStatus ResponseTracker::finish_with_status(ServerStatus flags) {
    server_status_ = flags;
    if (command_.id() == CommandByte::stmt_execute && has_status(flags, status::kCursorExists))
        cursor_opened_ = true;
    // Only statements produce several results; elsewhere the flag is stale and means nothing.
    bool more = has_status(flags, status::kMoreResultsExist) && command_.response() == ResponseKind::result;
    return move_to(more ? State::first_packet : State::done);
}

TrackerStatus ResponseTracker::finish_err(std::string_view head) {
    ByteReader r(head);
    auto err = ErrPacket::parse(r, caps_);
    if (!err) return move_to(State::failed);
    error_ = std::move(*err);
    return move_to(State::done);
}

// ------------------------------------------------------------------------------------------------ names

std::string_view to_string(TrackerStatus s) {
    switch (s) {
        case TrackerStatus::need_server: return "need_server";
        case TrackerStatus::need_client: return "need_client";
        case TrackerStatus::complete: return "complete";
        case TrackerStatus::protocol_error: return "protocol_error";
    }
    return "unknown";
}

std::string_view to_string(ResponseTracker::State s) {
    switch (s) {
        case State::first_packet: return "first_packet";
        case State::column_defs: return "column_defs";
        case State::column_defs_eof: return "column_defs_eof";
        case State::rows: return "rows";
        case State::local_infile_data: return "local_infile_data";
        case State::local_infile_result: return "local_infile_result";
        case State::prepare_params: return "prepare_params";
        case State::prepare_params_eof: return "prepare_params_eof";
        case State::prepare_columns: return "prepare_columns";
        case State::prepare_columns_eof: return "prepare_columns_eof";
        case State::field_list: return "field_list";
        case State::auth_server: return "auth_server";
        case State::auth_client: return "auth_client";
        case State::done: return "done";
        case State::failed: return "failed";
    }
    return "unknown";
}

}  // namespace sluice::protocol
