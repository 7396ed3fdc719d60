import TrackingModel
import XCTest

@testable import TrackingStore

/// Search matches the failure's own words: status codes, the reply, recipient domains.
final class FailureSearchTests: XCTestCase {
    private func setup(_ f: Fixture) throws -> (unknown: Int64, blocked: Int64, fine: Int64) {
        let a = try f.post(to: ["taro@example.jp"], subject: "Invoice")
        try f.event(a.trackings[0].id, .hardBounce, description: "550 5.1.1 <taro@example.jp>: Recipient address rejected")
        let b = try f.post(to: ["ann@outlook.com"], subject: "Quote")
        try f.event(
            b.trackings[0].id, .error, errorType: "SMTPRecipientsRefused",
            description: "550 5.7.1 Service unavailable; Client host blocked using Spamhaus", cause: .blocked)
        let c = try f.post(to: ["bob@fine.org"], subject: "Hello")
        try f.event(c.trackings[0].id, .delivered)
        return (a.id, b.id, c.id)
    }

    func testTrackingSearchMatchesStatusCodeDomainAndReply() throws {
        let f = try Fixture()
        _ = try setup(f)
        func found(_ q: String) throws -> [String] {
            try f.store.trackings(TrackingFilter(search: q)).rows.map { $0.address ?? "" }
        }
        XCTAssertEqual(try found("5.1.1"), ["taro@example.jp"], "a status code in the bounce text")
        XCTAssertEqual(try found("example.jp"), ["taro@example.jp"], "a receiving domain")
        XCTAssertEqual(try found("spamhaus"), ["ann@outlook.com"], "a word of the SMTP reply, any case")
        XCTAssertEqual(try found("Quote"), ["ann@outlook.com"], "the subject as before")
        XCTAssertEqual(try found("5.9.9"), [])
        XCTAssertEqual(try f.store.failedTrackings(search: "5.7.1").rows.map(\.address), ["ann@outlook.com"])
    }

    func testFailedMessagesSearch() throws {
        let f = try Fixture()
        let ids = try setup(f)
        func found(_ q: String?) throws -> [Int64] {
            try f.store.failedMessages(for: f.me.id, search: q).rows.map(\.id)
        }
        XCTAssertEqual(try found(nil), [ids.blocked, ids.unknown])
        XCTAssertEqual(try found("5.1.1"), [ids.unknown])
        XCTAssertEqual(try found("outlook.com"), [ids.blocked])
        XCTAssertEqual(try found("blocked using"), [ids.blocked])
        XCTAssertEqual(try found("fine.org"), [], "only failed rows are searched")
        XCTAssertEqual(try found("100%"), [], "LIKE wildcards are literal")
        // Paging with a search: the keyset binds after the search.
        let first = try f.store.failedMessages(for: f.me.id, search: "550", limit: 1)
        XCTAssertEqual(first.rows.map(\.id), [ids.blocked])
        let second = try f.store.failedMessages(for: f.me.id, search: "550", after: first.next, limit: 1)
        XCTAssertEqual(second.rows.map(\.id), [ids.unknown])
    }
}
