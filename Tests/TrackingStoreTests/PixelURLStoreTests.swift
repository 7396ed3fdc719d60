import TrackingModel
import TrackingStore
import XCTest

/// The pixel URL the sender stamps on an accepted row is what the tracking list gives.
final class PixelURLStoreTests: XCTestCase {
    let policy = RetryPolicy(firstBackoff: 60, maxBackoff: 600, maxAge: 3600)

    private func row(_ f: Fixture, _ address: String) throws -> TrackingRow {
        try XCTUnwrap(try f.store.trackings(TrackingFilter(recipient: address)).rows.first, address)
    }

    func testTheAcceptedRowsOfAMailCarryItsPixelURLAndTheOthersNone() throws {
        let f = try Fixture()
        _ = try f.store.postAndQueue(
            PostRequest(
                thread: ThreadRef(parsing: "res.partner/1")!, authorId: f.me.id, to: ["a@x.org, b@x.org, c@x.org"],
                subject: "Quote", body: "Hi"),
            sharedMail: true)
        let mail = try f.store.claimDueMail()
        XCTAssertEqual(mail.count, 3)
        let url = "http://other.example:1234/t/\(mail[0].trackingId)/\(mail[0].sharedToken ?? "")/blank.gif"
        _ = try f.store.recordOutcomes(
            [
                (mail[0], .accepted(server: "mx", queueId: "Q1", reply: "250 ok")),
                (mail[1], .permanent(server: "mx", errorType: "rcpt_refused", reply: "550 5.1.1 unknown")),
                (mail[2], .transient(server: "mx", reply: "451 greylisted", ambiguous: false)),
            ], pixelURL: url, policy: policy)
        XCTAssertEqual(try row(f, "a@x.org").pixelURL, url, "accepted: the URL the mail carried")
        XCTAssertNil(try row(f, "b@x.org").pixelURL, "refused: the recipient has no mail")
        XCTAssertNil(try row(f, "c@x.org").pixelURL, "deferred: not delivered yet")

        // The later attempt that gets through carries its own URL; one without a pixel stamps none.
        f.clock.advance(60)
        let again = try f.store.claimDueMail()
        XCTAssertEqual(again.map(\.address), ["c@x.org"])
        let later = url.replacingOccurrences(of: "other.example:1234", with: "third.example")
        _ = try f.store.recordOutcomes(
            again.map { ($0, .accepted(server: "mx", queueId: "Q2", reply: "250 ok")) }, pixelURL: later, policy: policy)
        XCTAssertEqual(try row(f, "c@x.org").pixelURL, later)
        XCTAssertEqual(try row(f, "a@x.org").pixelURL, url, "another mail's outcome leaves it alone")

        _ = try f.store.postAndQueue(
            PostRequest(
                thread: ThreadRef(parsing: "res.partner/2")!, authorId: f.me.id, to: ["d@x.org"], subject: "Plain",
                body: "Hi"))
        let plain = try f.store.claimDueMail()
        _ = try f.store.recordOutcomes(
            plain.map { ($0, .accepted(server: "mx", queueId: "Q3", reply: "250 ok")) }, policy: policy)
        XCTAssertEqual(try row(f, "d@x.org").state, .sent)
        XCTAssertNil(try row(f, "d@x.org").pixelURL, "sent without a pixel: no URL")
    }
}
