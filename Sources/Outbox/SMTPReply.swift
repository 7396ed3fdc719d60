import NIOCore

/// One SMTP reply: its code and its text lines (multi-line replies joined).
public struct SMTPReply: Sendable, Hashable, CustomStringConvertible {
    public var code: Int
    public var lines: [String]

    public var isPositive: Bool { (200..<400).contains(code) }
    public var isTransient: Bool { (400..<500).contains(code) }
    public var isPermanent: Bool { code >= 500 }
    /// `250 2.0.0 Ok: queued as 18591FA0D1` → `18591FA0D1`.
    public var queueId: String? {
        for line in lines {
            guard let r = line.range(of: "queued as ", options: .caseInsensitive) else { continue }
            let id = line[r.upperBound...].prefix { $0.isLetter || $0.isNumber }
            if !id.isEmpty { return String(id) }
        }
        return nil
    }
    public var description: String { "\(code) " + lines.joined(separator: " / ") }
}

/// Splits the server's byte stream into replies (RFC 5321 §4.2): `250-…`
/// continues, `250 …` ends. Lines end in CRLF (a bare LF is tolerated); a line
/// longer than 4096 bytes or without a 3-digit code is a protocol error.
struct SMTPReplyDecoder: ByteToMessageDecoder {
    typealias InboundOut = SMTPReply

    private var pending: [String] = []
    private var pendingCode: Int?

    enum Failure: Error { case malformed(String), lineTooLong }

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let lf = buffer.readableBytesView.firstIndex(of: UInt8(ascii: "\n")) else {
            if buffer.readableBytes > 4096 { throw Failure.lineTooLong }
            return .needMoreData
        }
        let length = lf - buffer.readerIndex
        guard var bytes = buffer.readBytes(length: length + 1) else { return .needMoreData }
        bytes.removeLast()
        if bytes.last == UInt8(ascii: "\r") { bytes.removeLast() }
        let line = String(decoding: bytes, as: UTF8.self)
        guard bytes.count >= 3, let code = Int(String(decoding: bytes[0..<3], as: UTF8.self)),
            bytes.count == 3 || bytes[3] == UInt8(ascii: " ") || bytes[3] == UInt8(ascii: "-")
        else { throw Failure.malformed(String(line.prefix(80))) }
        if let pendingCode, pendingCode != code { throw Failure.malformed(String(line.prefix(80))) }
        pending.append(bytes.count > 4 ? String(line.dropFirst(4)) : "")
        if bytes.count > 3 && bytes[3] == UInt8(ascii: "-") {
            pendingCode = code
            if pending.count > 200 { throw Failure.malformed("reply of more than 200 lines") }
        } else {
            context.fireChannelRead(wrapInboundOut(SMTPReply(code: code, lines: pending)))
            pending = []
            pendingCode = nil
        }
        return .continue
    }
}

/// Hands decoded replies to the one task driving the session, with a timeout per
/// wait. All state is touched on the channel's event loop only (hence the
/// unchecked Sendable: callers reach it through `eventLoop.flatSubmit`).
final class SMTPReplyQueue: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = SMTPReply

    private var buffered: [SMTPReply] = []
    private var waiter: EventLoopPromise<SMTPReply>?
    private var timeoutTask: Scheduled<Void>?
    private var failure: (any Error)?

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let reply = unwrapInboundIn(data)
        if let w = waiter {
            waiter = nil
            timeoutTask?.cancel()
            w.succeed(reply)
        } else {
            buffered.append(reply)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        fail(SMTPError.connectionClosed)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        fail(SMTPError.connection(String(describing: error)))
        context.close(promise: nil)
    }

    /// The first failure the connection saw, in words (event loop only).
    var failureDescription: String? { failure.map { String(describing: $0) } }

    private func fail(_ error: any Error) {
        if failure == nil { failure = error }
        if let w = waiter {
            waiter = nil
            timeoutTask?.cancel()
            w.fail(error)
        }
    }

    /// The next reply, or a failure after `timeout` (`SMTPError.timeout(stage)`). Event loop only.
    func next(on loop: any EventLoop, timeout: TimeAmount, stage: String) -> EventLoopFuture<SMTPReply> {
        if !buffered.isEmpty { return loop.makeSucceededFuture(buffered.removeFirst()) }
        if let failure { return loop.makeFailedFuture(failure) }
        let promise = loop.makePromise(of: SMTPReply.self)
        waiter = promise
        timeoutTask = loop.scheduleTask(in: timeout) { [self] in
            guard let w = self.waiter else { return }
            self.waiter = nil
            w.fail(SMTPError.timeout(stage))
        }
        return promise.futureResult
    }
}

/// What went wrong below the level of a reply code.
public enum SMTPError: Error, Sendable, Hashable, CustomStringConvertible {
    /// No reply within the stage's timeout (RFC 5321 §4.5.3.2).
    case timeout(String)
    /// The server closed the connection.
    case connectionClosed
    /// Connecting, reading or writing failed.
    case connection(String)
    /// STARTTLS was required and the server does not offer it, or TLS failed.
    case tls(String)
    /// A reply the session cannot go on from (greeting refused, EHLO refused, AUTH refused...).
    case refused(stage: String, reply: SMTPReply)

    public var description: String {
        switch self {
        case .timeout(let stage): return "timeout waiting for the \(stage) reply"
        case .connectionClosed: return "the server closed the connection"
        case .connection(let m): return "connection: \(m)"
        case .tls(let m): return "TLS: \(m)"
        case .refused(let stage, let reply): return "\(stage) refused: \(reply)"
        }
    }
}
