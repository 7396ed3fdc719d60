import EventIngest
import Foundation
import XCTest

/// Scan cost per line kind with no I/O around it: runs only with `CHATTER_MICRO=1`
/// (release build, `-Xswiftc -enable-testing`); prints ns per line.
final class PostfixMicroBenchTests: XCTestCase {
    func testScanCostPerLineKind() throws {
        guard ProcessInfo.processInfo.environment["CHATTER_MICRO"] != nil else { throw XCTSkip("set CHATTER_MICRO=1 to measure") }
        let lines = [
            "Nov 25 11:49:10 vm postfix/smtp[13266]: 18591FA0D1: to=<bad@remote.test>, relay=127.0.0.1[127.0.0.1]:2525, delay=0.03, delays=0.01/0.01/0/0, dsn=5.1.1, status=bounced (host 127.0.0.1[127.0.0.1] said: 550 5.1.1 <bad@remote.test>: Recipient address rejected: User unknown in virtual mailbox table (in reply to RCPT TO command))",
            "Nov 25 11:49:10 vm postfix/qmgr[11644]: 18591FA0D1: from=<root@testhost.localdomain>, size=549, nrcpt=5 (queue active)",
            "Nov 25 11:50:22 vm postfix/bounce[13274]: warning: for instructions see the bounce(5) manual",
        ]
        var parser = PostfixLineParser(referenceTime: Date().timeIntervalSince1970)
        for line in lines {
            var bytes = Array(line.utf8)
            let n = 2_000_000
            let start = Date()
            var ok = 0
            bytes.withUnsafeMutableBytes { raw in
                let buf = UnsafeRawBufferPointer(raw)
                for _ in 0..<n { if case .line = parser.scan(buf) { ok += 1 } }
            }
            let t = Date().timeIntervalSince(start)
            print(
                String(
                    format: "micro scan %3d bytes: %.1f ns/line, %.0f MB/s", line.utf8.count, t / Double(n) * 1e9,
                    Double(line.utf8.count * n) / t / 1e6))
            XCTAssertEqual(ok, n)
        }
    }
}
