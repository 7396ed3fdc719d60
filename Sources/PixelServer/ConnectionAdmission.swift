import NIOCore

/// First on the listening channel: each accepted connection goes through the
/// `ConnectionGate` before anything is set up for it; a shed one is closed there and then (no
/// registration, no HTTP pipeline, no task), so a flood costs little more than its accepts.
/// An accept error (EMFILE, ENFILE, ENOBUFS, ECONNABORTED) is counted and not passed on, as
/// it would end the server's stream of connections; the next accept is simply tried again.
final class ConnectionAdmission: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = any Channel
    typealias InboundOut = any Channel

    private let gate: ConnectionGate
    private let counters: PixelCounters

    init(gate: ConnectionGate, counters: PixelCounters) {
        self.gate = gate
        self.counters = counters
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let child = unwrapInboundIn(data)
        let address = child.remoteAddress?.ipAddress ?? "?"
        switch gate.admit(address: address, close: { child.close(promise: nil) }) {
        case .admitted(let id):
            let gate = self.gate
            child.closeFuture.whenComplete { _ in gate.release(id) }
            context.fireChannelRead(data)
        case .shedPerAddress, .shedFull:
            child.close(promise: nil)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        counters.add("acceptError")
    }
}
