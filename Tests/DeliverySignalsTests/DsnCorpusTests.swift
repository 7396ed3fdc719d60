import DeliverySignals
import Foundation
import TrackingModel
import XCTest

/// Every mail of the bounce corpus (`Tests/Fixtures/bounces/vendor-*.eml`) read by `DsnParser`:
/// the recipients we sent to, one event each, with the outcome and cause each notice states.
/// The corpus is also the input of the Sisimai differential test; this table is chatter's side.
final class DsnCorpusTests: XCTestCase {
    struct Row {
        var file: String
        var recipient: String
        var type: EventType
        var cause: FailureCause
        var final: String?

        init(_ file: String, _ recipient: String, _ type: EventType, _ cause: FailureCause, final: String? = nil) {
            self.file = file
            self.recipient = recipient
            self.type = type
            self.cause = cause
            self.final = final
        }
    }

    /// `vendor-<format>-<n>.eml` without prefix and suffix, the recipient, what happened, why.
    static let expected: [Row] = [
        Row("activehunter-1", "kijitora@ah.example.jp", .hardBounce, .userUnknown),
        Row("amazonses-1", "nobody@ses.example.org", .hardBounce, .userUnknown),
        Row("amazonses-2", "quota@ses.example.net", .softBounce, .mailboxFull),
        Row("amazonworkmail-1", "nouser@workmail.example", .hardBounce, .userUnknown),
        Row("aol-1", "nosuchuser@aol.example", .hardBounce, .userUnknown),
        Row("barracuda-1", "kijitora@barracuda.example", .softBounce, .spamContent),
        Row("biglobe-1", "hanako@biglobe.example", .softBounce, .mailboxFull),
        Row("courier-1", "ghost@example.net", .hardBounce, .userUnknown),
        Row("domino-1", "taro@notes.example.co.jp", .hardBounce, .userUnknown),
        Row("einsundeins-1", "nobody@einsundeins.example", .softBounce, .tooLarge),
        Row("exchange2003-1", "nadia@corp.example.com", .hardBounce, .userUnknown),
        Row("exchange2003-1", "bruno@corp.example.com", .softBounce, .mailboxFull),
        Row("exchange2007-1", "someone@ex.example.org", .hardBounce, .userUnknown),
        Row("exchange2007-2", "busy@ex.example.org", .deferral, .expired),
        Row("exim-1", "nobody@example.net", .hardBounce, .userUnknown),
        Row("exim-2", "full@example.org", .softBounce, .mailboxFull),
        Row("exim-2", "blocked@example.org", .softBounce, .blocked),
        Row("exim-3", "slow@example.com", .deferral, .rateLimited),
        Row("exim-4", "jürgen@beispiel.example", .hardBounce, .userUnknown),
        Row("ezweb-1", "gone@ezweb.example", .hardBounce, .userUnknown),
        Row("failedmail-1", "old@legacy.example.net", .hardBounce, .userUnknown),
        Row("fml-1", "fml-list@ml.example.jp", .softBounce, .senderRejected),
        Row("gmail-1", "nobody@example.jp", .hardBounce, .userUnknown),
        Row("gmail-2", "slowpoke@example.net", .deferral, .systemError),
        Row("gmail-3", "first@example.net", .hardBounce, .userUnknown),
        Row("gmail-3", "second@example.net", .hardBounce, .userUnknown),
        Row("gmx-1", "nobody@gmx.example", .hardBounce, .userUnknown),
        Row("googlegroups-1", "club@googlegroups.example", .softBounce, .policy),
        Row("gsuite-1", "missing@workspace.example", .hardBounce, .userUnknown),
        Row("imailserver-1", "kijitora@imail.example.com", .hardBounce, .userUnknown),
        Row("interscan-1", "unknown@ism.example.jp", .hardBounce, .userUnknown),
        Row("james-1", "nouser@james.example.org", .hardBounce, .userUnknown),
        Row("kddi-1", "fullbox@au.example", .softBounce, .mailboxFull),
        Row("mailfoundry-1", "full@foundry.example", .softBounce, .mailboxFull),
        Row("mailmarshal-1", "dummy@mm.example.org", .hardBounce, .userUnknown),
        Row("mailru-1", "nobody@mailru.example", .hardBounce, .userUnknown),
        Row("mcafee-1", "kijitora@mcafee.example", .hardBounce, .userUnknown),
        Row("mdaemon-1", "absent@md.example", .hardBounce, .userUnknown),
        Row("messagelabs-1", "nobody@labs.example", .hardBounce, .userUnknown),
        Row("messagingserver-1", "student@ms.example.edu", .hardBounce, .userUnknown),
        Row("mfilter-1", "nouser@mfilter.example.jp", .hardBounce, .userUnknown),
        Row("mxlogic-1", "kijitora@mxlogic.example", .hardBounce, .userUnknown),
        Row("notes-1", "jiro@lotus.example.co.jp", .hardBounce, .userUnknown),
        Row("office365-1", "lost@contoso.example", .hardBounce, .userUnknown),
        Row("office365-2", "doesntexist@fabrikam.example", .hardBounce, .userUnknown),
        Row("opensmtpd-1", "nobody@example.org", .hardBounce, .userUnknown),
        Row("outlook-1", "nonexist@hotmail.example", .hardBounce, .userUnknown),
        Row("postfix-1", "nouser@example.co.uk", .hardBounce, .userUnknown),
        Row("postfix-1", "olduser@example.co.uk", .hardBounce, .userUnknown),
        Row("postfix-2", "mover@example.net", .hardBounce, .hasMoved),
        Row("postfix-3", "spamtrap@example.co.uk", .softBounce, .blocked),
        Row("postfix-4", "anna@example.org", .hardBounce, .userUnknown, final: "anna.new@elsewhere.example"),
        Row("qmail-1", "gone@example.org", .hardBounce, .userUnknown),
        Row("qmail-1", "big@example.org", .softBounce, .tooLarge),
        Row("qmail-2", "user@nxdomain.example.net", .hardBounce, .hostUnknown),
        Row("sendmail-1", "kijitora@example.jp", .hardBounce, .userUnknown),
        Row("sendmail-2", "alice@example.com", .hardBounce, .userUnknown),
        Row("sendmail-2", "bob@example.com", .hardBounce, .userUnknown),
        Row("sendmail-3", "later@example.com", .deferral, .network),
        Row("surfcontrol-1", "nobody@surf.example.com", .hardBounce, .userUnknown),
        Row("v5sendmail-1", "gone@nonexist.example.edu", .hardBounce, .hostUnknown),
        Row("verizon-1", "5555550100@vtext.example", .hardBounce, .userUnknown),
        Row("x2-1", "nobody@x2.example", .hardBounce, .userUnknown),
        Row("x3-1", "kijitora@x3.example", .hardBounce, .userUnknown),
        Row("yahoo-1", "noone@yahoo.example", .hardBounce, .userUnknown),
        Row("yandex-1", "nobody@yandex.example", .hardBounce, .userUnknown),
        Row("zoho-1", "kijitora@zoho.example", .hardBounce, .userUnknown),
        Row("zoho-1", "shironeko@zoho.example", .hardBounce, .userUnknown),
    ]

    static var directory: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/bounces")
    }

    private func events(_ name: String) throws -> [ParsedEvent] {
        let url = Self.directory.appendingPathComponent("vendor-" + name + ".eml")
        return try DsnParser.parse(Array(try Data(contentsOf: url)), path: url.lastPathComponent)
    }

    func testEveryCorpusMailGivesItsRecipientsOutcomesAndCauses() throws {
        let files = Set(Self.expected.map(\.file))
        for file in files.sorted() {
            let got = try events(file)
            let want = Self.expected.filter { $0.file == file }
            XCTAssertEqual(got.map(\.recipient), want.map(\.recipient), file)
            for (event, row) in zip(got, want) {
                XCTAssertEqual(event.kind, .event(row.type), "\(file) \(row.recipient)")
                XCTAssertEqual(event.cause, row.cause, "\(file) \(row.recipient)")
                XCTAssertEqual(event.finalRecipient, row.final, "\(file) \(row.recipient)")
                XCTAssertEqual(event.source.rawValue, "dsn")
            }
        }
    }

    func testTheTableCoversEveryCorpusFile() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: Self.directory.path)
            .filter { $0.hasPrefix("vendor-") && $0.hasSuffix(".eml") }
            .map { String($0.dropFirst("vendor-".count).dropLast(".eml".count)) }
        XCTAssertEqual(Set(names), Set(Self.expected.map(\.file)))
        XCTAssertGreaterThanOrEqual(names.count, 50)
    }

    func testNoCorpusMailIsADeliveryOrNamesOurOwnOrAListAddress() throws {
        for file in Set(Self.expected.map(\.file)) {
            for event in try events(file) {
                XCTAssertNotEqual(event.kind, .event(.delivered), file)
                let recipient = try XCTUnwrap(event.recipient, file)
                XCTAssertFalse(recipient.hasSuffix("@shop.example.com"), "\(file): our own address \(recipient)")
                XCTAssertFalse(recipient.hasSuffix("@bounces.shop.example.com"), file)
                XCTAssertFalse(recipient.contains("-ctl@") || recipient.hasPrefix("helpdesk@"), "\(file): prose \(recipient)")
            }
        }
    }
}
