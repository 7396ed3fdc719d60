import DeliverySignals
import EventIngest
import Foundation
import MailFormat
import XCTest

final class MaildirReaderTests: XCTestCase {
    private var root: URL!

    override func setUpWithError() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("maildir-\(UUID().uuidString)")
        for folder in ["new", "cur", "tmp"] {
            try FileManager.default.createDirectory(at: root.appendingPathComponent(folder), withIntermediateDirectories: true)
        }
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: root)
    }

    private func write(_ folder: String, _ name: String, _ text: String) throws {
        try Data(text.utf8).write(to: root.appendingPathComponent(folder).appendingPathComponent(name))
    }

    func testIdentityIsStableAcrossReaderRenames() throws {
        try write("new", "1795607350.M1P2.vm", "Subject: one\n\n")
        try write("cur", "1795607351.M2P2.vm:2,S", "Subject: two\n\n")
        try write("tmp", "1795607352.M3P2.vm", "Subject: in delivery\n\n")
        try write("new", ".hidden", "x")
        let reader = MaildirReader(root: root.path)
        let first = try reader.unseenMails()
        XCTAssertEqual(first.map(\.identity), ["1795607350.M1P2.vm", "1795607351.M2P2.vm"])
        XCTAssertEqual(String(decoding: first[1].bytes, as: UTF8.self), "Subject: two\n\n")

        // A mail reader moves the first mail to cur/ and flags it: same identity, nothing new.
        try FileManager.default.moveItem(
            at: root.appendingPathComponent("new/1795607350.M1P2.vm"),
            to: root.appendingPathComponent("cur/1795607350.M1P2.vm:2,RS"))
        XCTAssertEqual(try reader.unseenMails(seen: Set(first.map(\.identity))), [])
        // Reading a listed entry that was renamed meanwhile finds it again by identity.
        let stale = MaildirReader.Entry(identity: "1795607350.M1P2.vm", path: root.appendingPathComponent("new/1795607350.M1P2.vm").path)
        XCTAssertEqual(try reader.read(stale).path, root.appendingPathComponent("cur/1795607350.M1P2.vm:2,RS").path)
        XCTAssertEqual(MaildirReader.identity(ofFileName: "abc:2,FS"), "abc")
    }

    func testMoveToDoneFolderAndErrors() throws {
        try write("new", "1.M1.vm", "Subject: one\n\n")
        let reader = MaildirReader(root: root.path)
        let mail = try XCTUnwrap(try reader.unseenMails().first)
        let done = root.appendingPathComponent("done").path
        let moved = try reader.moveToDone(mail, doneFolder: done)
        XCTAssertTrue(FileManager.default.fileExists(atPath: moved))
        XCTAssertEqual(try reader.entries(), [])
        XCTAssertThrowsError(try reader.read(MaildirReader.Entry(identity: "gone", path: "/nonexistent"))) {
            XCTAssertEqual($0 as? MaildirReader.Failure, .vanished(identity: "gone"))
        }
        XCTAssertThrowsError(try MaildirReader(root: "/nonexistent-maildir").entries()) {
            XCTAssertEqual($0 as? MaildirReader.Failure, .notAMaildir("/nonexistent-maildir"))
        }
    }
}
