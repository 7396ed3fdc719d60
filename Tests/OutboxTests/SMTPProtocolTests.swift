import Foundation
import NIOCore
import NIOEmbedded
import TrackingModel
import TrackingStore
import XCTest

@testable import Outbox

/// SMTP details: reply parsing, dot-stuffing, xtext, AUTH LOGIN, SIZE / SMTPUTF8 checks, a refused sender.
final class SMTPProtocolTests: XCTestCase {
    func testReplyDecoderAssemblesMultiLineRepliesAndRefusesGarbage() throws {
        let channel = EmbeddedChannel(handler: ByteToMessageHandler(SMTPReplyDecoder()))
        try channel.writeInbound(ByteBuffer(string: "250-peer.test\r\n250-SIZE 100\r\n250 DSN\r\n250 2.0.0 Ok: queued as 18591FA0D1\n"))
        let ehlo = try XCTUnwrap(try channel.readInbound(as: SMTPReply.self))
        XCTAssertEqual(ehlo.code, 250)
        XCTAssertEqual(ehlo.lines, ["peer.test", "SIZE 100", "DSN"])
        let data = try XCTUnwrap(try channel.readInbound(as: SMTPReply.self))
        XCTAssertEqual(data.queueId, "18591FA0D1")
        XCTAssertThrowsError(try channel.writeInbound(ByteBuffer(string: "hello there\r\n")))
        let other = EmbeddedChannel(handler: ByteToMessageHandler(SMTPReplyDecoder()))
        XCTAssertThrowsError(try other.writeInbound(ByteBuffer(string: "250-a\r\n251 b\r\n")), "codes must agree")
        XCTAssertNil(SMTPReply(code: 250, lines: ["Ok"]).queueId)
    }

    func testDotStuffingAndXtext() {
        let stuffed = SMTPSession.dotStuffed(Array("a\r\n.b\n..c".utf8))
        XCTAssertEqual(String(decoding: stuffed, as: UTF8.self), "a\r\n..b\r\n...c\r\n.\r\n")
        XCTAssertEqual(SMTPSession.xtext("a+b=c d"), "a+2Bb+3Dc+20d")
    }

    func testAuthLoginSizeLimitAndSMTPUTF8() async throws {
        let f = try OutboxFixture()
        f.user = "robot"
        f.security = .none  // the peer offers no STARTTLS: AUTH in clear only when chosen
        f.peer.script.extensions = ["SIZE 100000", "AUTH LOGIN"]
        try f.post(to: ["zoë@x.org"], thread: "a/1")
        f.clock.advance(1)
        try f.post(to: ["big@x.org"], body: String(repeating: "long text ", count: 20_000), thread: "a/2")
        f.clock.advance(1)
        try f.post(to: ["plain@x.org"], thread: "a/3")
        let r = try await f.worker().drainOnce()
        XCTAssertEqual(r.sent, 1)
        XCTAssertEqual(r.failed, 2)
        let commands = f.peer.commands
        XCTAssertEqual(Array(commands.drop { $0 != "AUTH LOGIN" }.prefix(3)),
                       ["AUTH LOGIN", Data("robot".utf8).base64EncodedString(), Data("s3cret".utf8).base64EncodedString()])
        XCTAssertEqual(try f.row("zoë@x.org").errorType, "smtputf8_unsupported")
        XCTAssertEqual(try f.row("big@x.org").errorType, "too_large")
        XCTAssertEqual(commands.filter { $0.hasPrefix("MAIL FROM") }.count, 1, "neither was offered to the server")

        // Offered: the non-ASCII address goes out with SMTPUTF8.
        let g = try OutboxFixture()
        try g.post(to: ["zoë@x.org"])
        let sent = try await g.worker().drainOnce()
        XCTAssertEqual(sent.sent, 1)
        XCTAssertTrue(g.peer.mails.first?.mailLine.hasSuffix(" SMTPUTF8 RET=HDRS ENVID=chatter-1-1") == true, g.peer.mails.first?.mailLine ?? "")
    }

    func testARefusedSenderIsTemporaryAndFlagsNobody() async throws {
        let f = try OutboxFixture()
        let pid = try f.store.addPartner(name: "Ann", email: "ann@x.org")
        f.peer.script.mailReply = "553 5.7.1 Sender address rejected: not owned by you"
        try f.post(to: ["ann@x.org"])
        let r = try await f.worker().drainOnce()
        XCTAssertEqual(r.deferred, 1)
        XCTAssertEqual(try f.state("ann@x.org"), .deferred)
        XCTAssertFalse(try f.store.partnerCard(id: pid).emailBounced)
        XCTAssertTrue(try f.store.outboxEntries().first?.lastError?.contains("MAIL FROM: 553") == true)
    }
}
