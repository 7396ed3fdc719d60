import Foundation
import NIOCore
import NIOPosix

/// A scriptable SMTP server on loopback for the tests: answers by script
/// (per-recipient RCPT replies, DATA's final reply, delays before the greeting
/// or the final reply) and records every transaction it completed.
public final class SMTPPeer: @unchecked Sendable {
    public struct Script {
        public var greetingDelay: Double = 0
        public var greeting = "220 peer.test ESMTP"
        public var extensions = ["PIPELINING", "SIZE 10240000", "8BITMIME", "DSN", "SMTPUTF8", "AUTH PLAIN LOGIN"]
        /// The reply to RCPT TO for an address.
        public var rcpt: @Sendable (String) -> String = { _ in "250 2.1.5 Ok" }
        /// The reply to the final "." given the recipients.
        public var final: @Sendable ([String]) -> String = { _ in "250 2.0.0 Ok: queued as \(SMTPPeer.queueId())" }
        public var finalDelay: Double = 0
        public var authReply = "235 2.7.0 Authentication successful"
        public var mailReply = "250 2.1.0 Ok"

        public init() {}
    }

    public struct Mail {
        public var from: String
        public var mailLine: String
        public var recipients: [String]
        public var data: String
        public var rcptLines: [String]
    }

    private let lock = NSLock()
    private var _script = Script()
    private var _mails: [Mail] = []
    private var _commands: [String] = []
    private var channel: (any Channel)?
    public private(set) var port = 0

    public init() {}

    public var script: Script {
        get { lock.withLock { _script } }
        set { lock.withLock { _script = newValue } }
    }
    public var mails: [Mail] { lock.withLock { _mails } }
    public var commands: [String] { lock.withLock { _commands } }

    public static func queueId() -> String {
        String(UInt64.random(in: 0..<UInt64(1) << 40), radix: 16, uppercase: true)
    }

    public func start() throws {
        let peer = self
        let ch = try ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(PeerLineDecoder()))
                    try channel.pipeline.syncOperations.addHandler(PeerHandler(peer: peer))
                }
            }
            .bind(host: "127.0.0.1", port: 0).wait()
        channel = ch
        port = ch.localAddress?.port ?? 0
    }

    public func stop() {
        try? channel?.close().wait()
    }

    fileprivate func record(command: String) { lock.withLock { _commands.append(command) } }
    fileprivate func record(mail: Mail) { lock.withLock { _mails.append(mail) } }
}

private struct PeerLineDecoder: ByteToMessageDecoder {
    typealias InboundOut = String
    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let lf = buffer.readableBytesView.firstIndex(of: UInt8(ascii: "\n")) else { return .needMoreData }
        var bytes = buffer.readBytes(length: lf - buffer.readerIndex + 1) ?? []
        while let last = bytes.last, last == UInt8(ascii: "\n") || last == UInt8(ascii: "\r") { bytes.removeLast() }
        context.fireChannelRead(wrapInboundOut(String(decoding: bytes, as: UTF8.self)))
        return .continue
    }
}

private final class PeerHandler: ChannelInboundHandler {
    typealias InboundIn = String
    typealias OutboundOut = ByteBuffer

    let peer: SMTPPeer
    var from = ""
    var mailLine = ""
    var recipients: [String] = []
    var rcptLines: [String] = []
    var inData = false
    var data: [String] = []
    /// AUTH LOGIN: how many base64 lines are still expected.
    var loginLines = 0

    init(peer: SMTPPeer) { self.peer = peer }

    func channelActive(context: ChannelHandlerContext) {
        let s = peer.script
        send(context, s.greeting, after: s.greetingDelay)
    }

    private func send(_ context: ChannelHandlerContext, _ text: String, after delay: Double = 0) {
        let buffer = context.channel.allocator.buffer(string: text + "\r\n")
        if delay > 0 {
            let channel = context.channel
            context.eventLoop.scheduleTask(in: .milliseconds(Int64(delay * 1000))) {
                channel.writeAndFlush(buffer, promise: nil)
            }
        } else {
            context.writeAndFlush(wrapOutboundOut(buffer), promise: nil)
        }
    }

    func channelRead(context: ChannelHandlerContext, data wrapped: NIOAny) {
        let line = unwrapInboundIn(wrapped)
        if inData {
            if line == "." {
                inData = false
                let s = peer.script
                let body = data.map { $0.hasPrefix("..") ? String($0.dropFirst()) : $0 }.joined(separator: "\r\n")
                let reply = s.final(recipients)
                if reply.hasPrefix("2") {
                    peer.record(mail: SMTPPeer.Mail(from: from, mailLine: mailLine, recipients: recipients, data: body, rcptLines: rcptLines))
                }
                send(context, reply, after: s.finalDelay)
                data = []
            } else {
                data.append(line)
            }
            return
        }
        peer.record(command: line)
        let upper = line.uppercased()
        let s = peer.script
        if loginLines > 0 {
            loginLines -= 1
            send(context, loginLines == 1 ? "334 UGFzc3dvcmQ6" : s.authReply)
            return
        }
        if upper == "AUTH LOGIN" {
            loginLines = 2
            send(context, "334 VXNlcm5hbWU6")
        } else if upper.hasPrefix("EHLO") {
            let lines = ["250-peer.test"] + s.extensions.dropLast().map { "250-" + $0 } + s.extensions.suffix(1).map { "250 " + $0 }
            send(context, lines.joined(separator: "\r\n"))
        } else if upper.hasPrefix("HELO") {
            send(context, "250 peer.test")
        } else if upper.hasPrefix("AUTH PLAIN") {
            send(context, s.authReply)
        } else if upper.hasPrefix("MAIL FROM:") {
            from = Self.angle(line)
            mailLine = line
            recipients = []
            rcptLines = []
            send(context, s.mailReply)
        } else if upper.hasPrefix("RCPT TO:") {
            let address = Self.angle(line)
            let reply = s.rcpt(address)
            if reply.hasPrefix("2") {
                recipients.append(address)
                rcptLines.append(line)
            }
            send(context, reply)
        } else if upper == "DATA" {
            if recipients.isEmpty {
                send(context, "554 5.5.1 no valid recipients")
            } else {
                inData = true
                send(context, "354 End data with <CR><LF>.<CR><LF>")
            }
        } else if upper == "RSET" {
            recipients = []
            send(context, "250 2.0.0 Ok")
        } else if upper == "QUIT" {
            send(context, "221 2.0.0 Bye")
            context.close(promise: nil)
        } else {
            send(context, "502 5.5.2 command not recognized")
        }
    }

    static func angle(_ line: String) -> String {
        guard let a = line.firstIndex(of: "<"), let b = line[a...].firstIndex(of: ">") else { return "" }
        return String(line[line.index(after: a)..<b])
    }
}
