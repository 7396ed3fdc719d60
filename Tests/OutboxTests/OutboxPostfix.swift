import Foundation
import TestSupport

extension PrivatePostfix {
    /// The outbox tests' Postfix: relays `remote.test` to the fixture's SMTP peer and refuses
    /// `bad@remote.test` at RCPT time; `tls` offers STARTTLS with a self-signed certificate.
    static func relaying(to fixture: OutboxFixture, tls: Bool = false) throws -> PrivatePostfix {
        try PrivatePostfix(
            dir: fixture.dir.appendingPathComponent("postfix").path,
            options: PostfixOptions(
                relays: [("remote.test", fixture.peer.port)],
                refusedRecipients: [("bad@remote.test", "REJECT 5.1.1 User unknown in this test")], tls: tls))
    }
}
