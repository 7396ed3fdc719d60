import NIOCore
import NIOHTTPTypes

/// The idle, header and body deadlines of one connection (`ConnectionLimits`), on its event
/// loop only. One timer at a time: waiting for a request → idle; from the request's first
/// byte → header; from its head → body; while the answer is made → none. When it fires the
/// connection is closed.
final class ConnectionDeadlines {
    private enum Phase {
        case waiting, head, body, answering
    }

    private let channel: any Channel
    private let limits: ConnectionLimits
    private var phase = Phase.waiting
    private var timer: Scheduled<Void>?

    init(channel: any Channel, limits: ConnectionLimits) {
        self.channel = channel
        self.limits = limits
    }

    /// The connection is open and waits for its first request.
    func start() {
        phase = .waiting
        arm(limits.idleTimeout)
    }

    /// Bytes came in: the first of a request starts its header deadline.
    func bytesArrived() {
        guard phase == .waiting else { return }
        phase = .head
        arm(limits.headerTimeout)
    }

    func headArrived() {
        phase = .body
        arm(limits.bodyTimeout)
    }

    func requestEnded() {
        phase = .answering
        cancel()
    }

    /// The answer went out: the connection waits for the next request.
    func answerEnded() { start() }

    func cancel() {
        timer?.cancel()
        timer = nil
    }

    private func arm(_ seconds: Double) {
        cancel()
        let channel = self.channel
        timer = channel.eventLoop.scheduleTask(in: .milliseconds(Int64((seconds * 1000).rounded()))) {
            channel.close(promise: nil)
        }
    }
}

/// First in the pipeline: sees the raw bytes, so a request's first byte starts its header deadline.
final class RawBytesWatch: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer

    private let deadlines: ConnectionDeadlines

    init(_ deadlines: ConnectionDeadlines) { self.deadlines = deadlines }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { deadlines.start() }
    }

    func channelActive(context: ChannelHandlerContext) {
        deadlines.start()
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        deadlines.bytesArrived()
        context.fireChannelRead(data)
    }

    func channelInactive(context: ChannelHandlerContext) {
        deadlines.cancel()
        context.fireChannelInactive()
    }
}

/// After the HTTP decoder: a request's head and end, and the end of its answer.
final class RequestPartsWatch: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private let deadlines: ConnectionDeadlines

    init(_ deadlines: ConnectionDeadlines) { self.deadlines = deadlines }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head: deadlines.headArrived()
        case .body: break
        case .end: deadlines.requestEnded()
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch unwrapOutboundIn(data) {
        case .head, .body: break
        case .end: deadlines.answerEnded()
        }
        context.write(data, promise: promise)
    }
}
