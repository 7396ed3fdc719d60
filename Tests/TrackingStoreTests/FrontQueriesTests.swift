import Foundation
import TrackingModel
import TrackingStore
import XCTest

/// The front's own queries: the Inbox count (whole and by id range), the
/// failed-states tracking list, and the data_version change probe.
final class FrontQueriesTests: XCTestCase {
    func testInboxCountsAuthoredAndReceivedOnceAndAddsUpByRange() throws {
        let f = try Fixture()
        let other = try f.store.user(email: "colleague@yourcompany.example", name: "Colleague")
        let partner = try f.partner("Azure", "azure@example.com")
        _ = try f.post(to: ["azure@example.com"])  // mine
        _ = try f.post(partners: [f.me.id], author: other.id)  // received from a colleague
        _ = try f.post(partners: [f.me.id, partner])  // mine and to me: counted once
        _ = try f.post(to: ["azure@example.com"], author: other.id)  // neither
        XCTAssertEqual(try f.store.inboxCount(for: f.me.id), 3)
        let latest = try f.store.latestMessageId()
        let middle = latest - 2
        let split = try f.store.inboxCount(for: f.me.id, afterId: 0, throughId: middle)
            + f.store.inboxCount(for: f.me.id, afterId: middle, throughId: latest)
        XCTAssertEqual(split, 3)
        XCTAssertEqual(try f.store.inboxCount(for: f.me.id, afterId: latest), 0)
        XCTAssertEqual(try f.store.inboxCount(for: other.id), 2)
    }

    func testFailedTrackingsListsEveryFailedStateNewestFirst() throws {
        let f = try Fixture()
        let a = try f.post(to: ["a@example.com"]).trackings[0].id
        f.clock.advance(10)
        let b = try f.post(to: ["b@example.com"]).trackings[0].id
        f.clock.advance(10)
        let c = try f.post(to: ["c@example.com"], subject: "Quarterly report").trackings[0].id
        f.clock.advance(10)
        let d = try f.post(to: ["d@example.com"]).trackings[0].id
        try f.event(a, .hardBounce)
        try f.event(b, .spam)
        try f.event(c, .softBounce)
        try f.event(d, .delivered)
        XCTAssertEqual(try f.store.failedTrackings().rows.map(\.id), [c, b, a])
        XCTAssertEqual(try f.store.failedTrackings(search: "quarterly").rows.map(\.id), [c])
        let page = try f.store.failedTrackings(limit: 2)
        XCTAssertEqual(page.rows.map(\.id), [c, b])
        let next = try XCTUnwrap(page.next)
        XCTAssertEqual(try f.store.failedTrackings(after: next, limit: 2).rows.map(\.id), [a])
    }

    func testChangeProbeSeesCommitsOfOtherConnections() throws {
        let f = try Fixture()
        let probe = try StoreChangeProbe(path: f.path)
        let before = try probe.version()
        XCTAssertEqual(try probe.version(), before, "nothing written, the version must stay")
        _ = try f.post(to: ["a@example.com"])
        XCTAssertNotEqual(try probe.version(), before)
        // Another connection in another store object (as another process would be).
        let again = try probe.version()
        let second = try TrackingStore(path: f.path)
        _ = try second.addPartner(name: "X", email: "x@example.com")
        XCTAssertNotEqual(try probe.version(), again)
    }
}
