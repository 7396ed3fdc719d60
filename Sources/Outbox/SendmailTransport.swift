import Foundation
import TrackingModel

/// Hands each mail to a sendmail-compatible binary (`/usr/sbin/sendmail -i -f
/// SENDER -- RECIPIENT...`), for hosts that relay through their local MTA. The
/// exit status is the mail's, so every recipient of a shared mail gets it. Exit 0
/// → accepted (no queue id: sendmail(1) does not print one); EX_TEMPFAIL (75) and
/// local trouble → transient; EX_NOUSER (67), EX_NOHOST (68), EX_DATAERR (65)
/// → permanent.
public final class SendmailTransport: MailTransport {
    private let path: String

    public init(path: String = "/usr/sbin/sendmail") {
        self.path = path
    }

    public func deliver(_ mail: OutgoingMail) async -> [SendOutcome] {
        Array(repeating: outcome(mail), count: mail.recipients.count)
    }

    private func outcome(_ mail: OutgoingMail) -> SendOutcome {
        let server = "sendmail:" + path
        let p = Process()
        p.executableURL = URL(fileURLWithPath: path)
        p.arguments = ["-i", "-f", mail.envelopeFrom, "--"] + mail.recipients
        let input = Pipe()
        let errors = Pipe()
        p.standardInput = input
        p.standardError = errors
        p.standardOutput = FileHandle.nullDevice
        do { try p.run() } catch {
            return .transient(server: server, reply: "cannot run \(path): \(error.localizedDescription)", ambiguous: false)
        }
        // sendmail(1) reads text lines: LF line ends.
        var lf: [UInt8] = []
        lf.reserveCapacity(mail.data.count)
        for b in mail.data where b != UInt8(ascii: "\r") { lf.append(b) }
        let handle = input.fileHandleForWriting
        let wrote = (try? handle.write(contentsOf: lf)) != nil
        try? handle.close()
        let stderr = errors.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        let message = String(decoding: stderr.prefix(500), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        let status = p.terminationStatus
        if p.terminationReason == .exit && status == 0 && wrote {
            return .accepted(server: server, queueId: nil, reply: "exit 0")
        }
        let reply = "sendmail exit \(status)" + (message.isEmpty ? "" : ": " + message)
        switch (p.terminationReason, status) {
        case (.exit, 65), (.exit, 67), (.exit, 68):
            return .permanent(server: server, errorType: "sendmail_refused", reply: reply)
        default:
            return .transient(server: server, reply: reply, ambiguous: wrote)
        }
    }

    public func finish() async {}
}
