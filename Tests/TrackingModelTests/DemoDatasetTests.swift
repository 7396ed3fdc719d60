import Foundation
import XCTest
@testable import TrackingModel

/// The demo dataset that `chatter demo` reads must keep the shape and variety the
/// generator relies on, and every address in it must be one we accept.
final class DemoDatasetTests: XCTestCase {
    private func dataset() throws -> [String: Any] {
        let url = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent()
            .appendingPathComponent("../../Assets/demo/dataset.json")
            .standardizedFileURL
        let data = try Data(contentsOf: url)
        return try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    func testShapeAndCounts() throws {
        let root = try dataset()
        let partners = try XCTUnwrap(root["partners"] as? [[String: Any]])
        XCTAssertGreaterThanOrEqual(partners.count, 35)
        let withoutEmail = partners.filter { $0["email"] is NSNull || $0["email"] == nil }
        XCTAssertGreaterThanOrEqual(withoutEmail.count, 5)

        let threads = try XCTUnwrap(root["threads"] as? [[String: String]])
        XCTAssertEqual(threads.count, 25)
        let models = ["res.partner", "sale.order", "account.move", "helpdesk.ticket"]
        XCTAssertEqual(Set(threads.compactMap { $0["model"] }), Set(models))
        let partnerNames = Set(partners.compactMap { $0["name"] as? String })
        for thread in threads {
            XCTAssertNotNil(thread["key"], "\(thread)")
            XCTAssertNotNil(thread["name"], "\(thread)")
            XCTAssertTrue(partnerNames.contains(thread["partner"] ?? ""), "thread partner must exist: \(thread)")
        }

        let subjects = try XCTUnwrap(root["subjects"] as? [String: [String]])
        for model in models {
            XCTAssertGreaterThanOrEqual(subjects[model]?.count ?? 0, 8, model)
        }
        XCTAssertGreaterThanOrEqual((root["bodies"] as? [String])?.count ?? 0, 20)
        XCTAssertGreaterThanOrEqual((root["opens"] as? [[String: Any]])?.count ?? 0, 5)
        XCTAssertGreaterThanOrEqual((root["urls"] as? [String])?.count ?? 0, 6)

        let failures = try XCTUnwrap(root["failures"] as? [String: [[String: String]]])
        let kinds = ["bad_mailbox", "mailbox_full", "policy", "spam", "smtp_error", "unsubscribed"]
        XCTAssertEqual(Set(failures.keys), Set(kinds))
        for kind in kinds {
            let texts = failures[kind] ?? []
            XCTAssertGreaterThanOrEqual(texts.count, 3, kind)
            XCTAssertTrue(texts.allSatisfy { !($0["description"] ?? "").isEmpty }, kind)
        }
    }

    func testEveryEmailParses() throws {
        let root = try dataset()
        let me = try XCTUnwrap(root["me"] as? [String: String])
        let aliases = try XCTUnwrap(root["aliases"] as? [String])
        let partners = try XCTUnwrap(root["partners"] as? [[String: Any]])
        let rawAddresses = try XCTUnwrap(root["raw_addresses"] as? [String])
        let emails = [me["email"] ?? ""] + aliases + partners.compactMap { $0["email"] as? String } + rawAddresses
        for email in emails {
            if case .failure(let error) = AddressParser.parseMailbox(email) {
                XCTFail("\(error)")
            }
        }
        let normalized = partners.compactMap { ($0["email"] as? String).flatMap(AddressParser.normalize) }
        XCTAssertEqual(Set(normalized).count, normalized.count, "partner emails must be distinct")
        XCTAssertTrue(normalized.contains { $0.contains("xn--") }, "one IDN domain is expected")
    }
}
