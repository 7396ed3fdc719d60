import NIOCore
import NIOPosix
import TrackingModel

/// SMTP submission, one session reused across mails and reopened after a failure.
///
/// Outcome rules: an accepted RCPT and a 2xx after the data → accepted (with the
/// queue id); any 4xx, a connection problem or a timeout → transient (ambiguous
/// when the data had gone out with no final reply); a 5xx to RCPT, DATA or the
/// data → permanent. Trouble that is not the recipient's (greeting, EHLO, TLS,
/// AUTH, a refused MAIL FROM) is transient: it must not flag a partner bounced,
/// and it turns into an `expired` error if it lasts past the maximum age.
public final class SMTPTransport: MailTransport {
    private let config: SMTPConfig
    private let group: any EventLoopGroup
    private var session: SMTPSession?

    public init(config: SMTPConfig, group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) {
        self.config = config
        self.group = group
    }

    public func deliver(_ mail: OutgoingMail) async -> [SendOutcome] {
        let server = config.serverName
        let everyone = { (o: SendOutcome) in Array(repeating: o, count: mail.recipients.count) }
        do {
            let s: SMTPSession
            if let existing = session {
                s = existing
            } else {
                s = try await SMTPSession.open(config, group: group)
                session = s
            }
            let r = try await s.transaction(
                from: mail.envelopeFrom, recipients: mail.recipients, data: mail.data, envelopeId: mail.envelopeId,
                smtpUTF8: mail.needsSMTPUTF8)
            return Self.outcomes(r, recipients: mail.recipients.count, server: server)
        } catch SMTPSessionError.afterData(let error, let partial) {
            await drop()
            let unknown = SendOutcome.transient(server: server, reply: "no reply after the data: \(error)", ambiguous: true)
            return Self.outcomes(partial, recipients: mail.recipients.count, server: server, data: unknown)
        } catch {
            await drop()
            return everyone(.transient(server: server, reply: String(describing: error), ambiguous: false))
        }
    }

    /// The outcome of a transaction for each of its `count` recipients: a refused
    /// RCPT is that recipient's alone (5xx permanent, 4xx transient); the
    /// recipients the server took share the outcome of the data (`data` when it
    /// is known otherwise, as after a timeout following the data).
    static func outcomes(_ r: SMTPTransactionResult, recipients count: Int, server: String, data known: SendOutcome? = nil)
        -> [SendOutcome]
    {
        if let u = r.unsendable {
            return Array(repeating: .permanent(server: server, errorType: u.errorType, reply: u.reason), count: count)
        }
        if let m = r.mailReply {
            // A refused MAIL FROM is about our sender, not the recipient: temporary, never a bounce.
            return Array(repeating: .transient(server: server, reply: "MAIL FROM: \(m)", ambiguous: false), count: count)
        }
        let data = known ?? dataOutcome(r, server: server)
        return (0..<count).map { i in
            guard i < r.replies.count else {
                return .transient(server: server, reply: "no reply to RCPT", ambiguous: false)
            }
            let rcpt = r.replies[i]
            if rcpt.code == 250 || rcpt.code == 251 { return data }
            return rcpt.isPermanent
                ? .permanent(server: server, errorType: "rcpt_refused", reply: rcpt.description)
                : .transient(server: server, reply: rcpt.description, ambiguous: false)
        }
    }

    /// What became of the data, for the recipients whose RCPT was accepted.
    private static func dataOutcome(_ r: SMTPTransactionResult, server: String) -> SendOutcome {
        if let d = r.dataReply {
            return d.isPermanent
                ? .permanent(server: server, errorType: "data_refused", reply: d.description)
                : .transient(server: server, reply: d.description, ambiguous: false)
        }
        guard let f = r.finalReply else {
            return .transient(server: server, reply: "no reply to the data", ambiguous: true)
        }
        if f.code / 100 == 2 { return .accepted(server: server, queueId: f.queueId, reply: f.description) }
        return f.isPermanent
            ? .permanent(server: server, errorType: "message_refused", reply: f.description)
            : .transient(server: server, reply: f.description, ambiguous: false)
    }

    public func finish() async {
        if let s = session { await s.quit() }
        session = nil
    }

    private func drop() async {
        if let s = session { await s.close() }
        session = nil
    }
}
