import Foundation
import TestSupport
import TrackingModel
import TrackingStore
import XCTest

/// `trackings --json`'s `pixel_url` is the URL the mail carried, even when `send --base-url`
/// named another base than the configured one; a row not sent yet keeps the configured form.
final class PixelURLSendTests: XCTestCase {
    func testTheListedPixelURLIsTheOneInTheSentMail() throws {
        let f = try OutboxFixture(realClock: true)
        let env = ["XDG_CONFIG_HOME": f.dir.path, "CHATTER_BASE_URL": "https://configured.example"]
        try f.post(to: ["ann@x.org, bob@x.org"])
        _ = try f.store.postAndQueue(
            PostRequest(
                thread: ThreadRef(parsing: "sale.order/7")!, authorId: f.me.id, to: ["cy@x.org, dy@x.org"],
                subject: "Quote", body: "Hello all"),
            sharedMail: true)
        let db = ["--db", f.store.path]

        let sent = try runChatter(
            ["send", "--once", "--smtp-host", "127.0.0.1", "--smtp-port", String(f.peer.port), "--smtp-security", "none",
             "--base-url", "http://other.example:1234"] + db, env: env)
        XCTAssertEqual(sent.0, 0, sent.2)
        XCTAssertEqual(f.peer.mails.count, 3, "ann and bob one mail each, cy and dy one shared mail")
        try f.post(to: ["eve@x.org"], thread: "sale.order/8")  // queued, not sent

        let listed = try runChatter(["trackings", "--json"] + db, env: env)
        XCTAssertEqual(listed.0, 0, listed.2)
        let rows = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(listed.1.utf8)) as? [[String: Any]])
        var urls: [String: String] = [:]
        for row in rows {
            urls[try XCTUnwrap(row["address"] as? String)] = try XCTUnwrap(row["pixel_url"] as? String)
        }
        XCTAssertEqual(Set(urls.keys), ["ann@x.org", "bob@x.org", "cy@x.org", "dy@x.org", "eve@x.org"])
        for address in ["ann@x.org", "bob@x.org", "cy@x.org", "dy@x.org"] {
            let url = try XCTUnwrap(urls[address])
            XCTAssertTrue(url.hasPrefix("http://other.example:1234/t/"), "\(address): \(url)")
            let mail = try XCTUnwrap(f.peer.mails.first { $0.recipients.contains(address) }, address)
            XCTAssertTrue(qpDecoded(mail.data).contains("<img src=\"\(url)\""), "\(address): \(url) is the mail's pixel")
        }
        XCTAssertEqual(urls["cy@x.org"], urls["dy@x.org"], "one shared mail, one shared pixel URL")
        XCTAssertNotEqual(urls["ann@x.org"], urls["bob@x.org"], "one mail per recipient, one pixel each")
        let unsent = try XCTUnwrap(urls["eve@x.org"])
        XCTAssertTrue(unsent.hasPrefix("https://configured.example/t/"), "not sent: the configured base, \(unsent)")
    }
}
