#pragma once
// Follows the server's response to one client command, payload by payload, and says exactly when it is
// complete, whether the client must speak next (LOCAL INFILE data, an authentication reply), and what the
// response said: final status flags, the last OK or the ERR, PREPARE_OK's counts, whether a cursor opened.
//
// It works on payload heads (the first bytes plus the total length, see PacketScanner), so a forwarder can
// track responses while passing bytes through untouched. Sequence ids and framing are the framer's job.
//
// One state machine: `State` below, one switch in on_server_payload(), one named handler per state, and every
// transition through move_to().

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "protocol/capabilities.hpp"
#include "protocol/command.hpp"
#include "protocol/err_packet.hpp"
#include "protocol/inspect.hpp"
#include "protocol/packet_framer.hpp"
#include "protocol/prepare_ok.hpp"
#include "protocol/server_status.hpp"

namespace sluice::protocol {

enum class TrackerStatus : std::uint8_t {
    need_server,     // the response goes on: feed the next server payload
    need_client,     // the client must send next (LOCAL INFILE content, an auth reply): feed client payloads
    complete,        // the response is over; the next server payload belongs to another command
    protocol_error,  // the peer broke the protocol (or the command is one we do not relay): close
};

std::string_view to_string(TrackerStatus s);

class ResponseTracker {
  public:
    enum class State : std::uint8_t {
        first_packet,         // start of a response, or of the next result after MORE_RESULTS_EXISTS
        column_defs,          // counting a result set's column definitions
        column_defs_eof,      // the EOF after them (no CLIENT_DEPRECATE_EOF)
        rows,                 // text or binary rows until EOF/OK or ERR
        local_infile_data,    // the client streams the file, ended by an empty packet
        local_infile_result,  // the server's OK/ERR for the loaded file
        prepare_params,       // PREPARE_OK's parameter definitions
        prepare_params_eof,
        prepare_columns,  // PREPARE_OK's column definitions
        prepare_columns_eof,
        field_list,   // COM_FIELD_LIST definitions until EOF
        auth_server,  // authentication: the server's turn
        auth_client,  // authentication: the client's turn
        done,
        failed,
    };

    ResponseTracker(Command command, Capabilities caps);
    // The authentication exchange that follows HandshakeResponse41 (same rules as COM_CHANGE_USER).
    static ResponseTracker for_login(Capabilities caps);

    // `head` is the payload or a prefix of it (at least min(length, kPayloadHeadBytes) bytes).
    TrackerStatus on_server_payload(std::string_view head, std::size_t length);
    TrackerStatus on_server_payload(std::string_view payload) {
        return on_server_payload(payload, payload.size());
    }
    TrackerStatus on_server_payload(const PayloadHead& p) { return on_server_payload(p.head(), p.length); }
    // The common case, inline: a row while rows are expected, whose first byte cannot start an ERR, EOF, OK
    // or progress report (0xFF, 0xFE). True: counted, the status is unchanged (need_server). False: nothing
    // done, call on_server_payload().
    bool take_plain_row(std::string_view head) {
        if (!expects_rows() || !is_plain_row(head)) return false;
        ++rows_;
        return true;
    }
    // The same in parts, for a loop over many rows: while expects_rows(), every payload is_plain_row()
    // accepts is one more row (counted with add_rows()), and the first it refuses goes to
    // on_server_payload().
    bool expects_rows() const { return state_ == State::rows; }
    static bool is_plain_row(std::string_view head) {
        if (head.empty()) return false;
        auto first = static_cast<unsigned char>(head.front());
        return first != 0xFF && first != 0xFE;
    }
    void add_rows(std::size_t n) { rows_ += n; }
    TrackerStatus on_client_payload(std::string_view head, std::size_t length);
    TrackerStatus on_client_payload(std::string_view payload) {
        return on_client_payload(payload, payload.size());
    }

    TrackerStatus status() const;
    State state() const { return state_; }
    Command command() const { return command_; }

    // The status flags of the last OK/EOF seen (0 before any): the server's word on transaction state.
    ServerStatus server_status() const { return server_status_; }
    bool in_transaction() const { return has_status(server_status_, status::kInTrans); }
    bool cursor_opened() const { return cursor_opened_; }
    // The warning count of the last OK/EOF (what SHOW WARNINGS would list after it).
    std::uint16_t warnings() const { return warnings_; }

    const std::optional<OkView>& last_ok() const { return last_ok_; }
    // The ERR that ended the response; its message is cut short when only a head was fed.
    const std::optional<ErrPacket>& error() const { return error_; }
    const std::optional<PrepareOk>& prepare_ok() const { return prepare_ok_; }

    std::size_t result_sets() const { return result_sets_; }  // result sets (column count packets) seen
    std::size_t rows() const { return rows_; }                // rows across all result sets
    std::size_t progress_reports() const { return progress_reports_; }

  private:
    ResponseTracker(Command command, Capabilities caps, State initial);
    TrackerStatus move_to(State next);

    TrackerStatus on_first_packet(std::string_view head, std::size_t length);
    TrackerStatus on_first_simple(std::string_view head, std::size_t length);
    TrackerStatus on_first_result(std::string_view head, std::size_t length);
    TrackerStatus on_first_prepare(std::string_view head, std::size_t length);
    TrackerStatus on_column_def(std::string_view head);
    TrackerStatus on_column_defs_eof(std::string_view head, std::size_t length);
    TrackerStatus on_row(std::string_view head, std::size_t length);
    TrackerStatus on_local_infile_result(std::string_view head, std::size_t length);
    TrackerStatus on_prepare_def(std::string_view head);
    TrackerStatus on_prepare_eof(std::string_view head, std::size_t length);
    TrackerStatus on_field_list(std::string_view head, std::size_t length);
    TrackerStatus on_auth_server(std::string_view head, std::size_t length);

    TrackerStatus finish_ok(std::string_view head);
    TrackerStatus finish_terminator(std::string_view head, std::size_t length);
    TrackerStatus finish_err(std::string_view head);
    TrackerStatus finish_with_status(ServerStatus flags);
    TrackerStatus after_prepare_block(bool params_done);
    bool ends_block(std::string_view head, std::size_t length) const;

    Command command_;
    Capabilities caps_;
    State state_;
    std::uint64_t defs_left_ = 0;
    ServerStatus server_status_ = 0;
    bool cursor_opened_ = false;
    std::uint16_t warnings_ = 0;
    std::optional<OkView> last_ok_;
    std::optional<ErrPacket> error_;
    std::optional<PrepareOk> prepare_ok_;
    std::size_t result_sets_ = 0;
    std::size_t rows_ = 0;
    std::size_t progress_reports_ = 0;
};

std::string_view to_string(ResponseTracker::State s);

}  // namespace sluice::protocol
