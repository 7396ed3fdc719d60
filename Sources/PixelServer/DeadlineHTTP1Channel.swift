import Hummingbird
import HummingbirdCore
import Logging
import NIOCore

/// Hummingbird's HTTP/1 child channel with the connection deadlines (`ConnectionDeadlines`):
/// the raw-bytes watch first in the pipeline, the request-parts watch after the HTTP decoder.
struct DeadlineHTTP1Channel: ServerChildChannel {
    typealias Value = HTTP1Channel.Value

    let responder: HTTPChannelHandler.Responder
    let limits: ConnectionLimits

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        let deadlines = ConnectionDeadlines(channel: channel, limits: limits)
        let parts = NIOLoopBound(RequestPartsWatch(deadlines), eventLoop: channel.eventLoop)
        do {
            try channel.pipeline.syncOperations.addHandler(RawBytesWatch(deadlines), position: .first)
        } catch {
            return channel.eventLoop.makeFailedFuture(error)
        }
        let http = HTTP1Channel(responder: responder, configuration: .init(additionalChannelHandlers: [parts.value]))
        return http.setup(channel: channel, logger: logger)
    }

    func handle(value: Value, logger: Logger) async {
        await HTTP1Channel(responder: responder).handle(value: value, logger: logger)
    }
}

extension HTTPServerBuilder {
    /// HTTP/1 with the connection deadlines.
    static func http1(limits: ConnectionLimits) -> HTTPServerBuilder {
        .init { responder in DeadlineHTTP1Channel(responder: responder, limits: limits) }
    }
}
