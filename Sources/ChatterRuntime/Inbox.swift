import CTerminalSupport
import ChatterUI
import Foundation
import Glibc

/// The loop's mailbox: messages posted from any thread (effect answers, the
/// store watcher, the live demo), drained by the UI loop, which a post wakes
/// through a pipe it polls beside the terminal.
final class Inbox: @unchecked Sendable {
    private let lock = NSLock()
    private var queue: [Msg] = []
    private var changePending = false
    /// The end the loop polls for POLLIN.
    let wakeFD: Int32
    private let writeFD: Int32

    init() throws {
        var r: Int32 = -1, w: Int32 = -1
        guard ctr_nonblocking_pipe(&r, &w) == 0 else {
            throw FrontError("cannot create the wake pipe: \(String(cString: strerror(errno)))")
        }
        wakeFD = r
        writeFD = w
    }

    deinit {
        close(wakeFD)
        close(writeFD)
    }

    /// Queues a message and wakes the loop. Store changes coalesce: one pending
    /// `.storeChanged` reloads everything, so a second adds nothing.
    func post(_ msg: Msg) {
        let shouldWake: Bool = lock.withLock {
            if case .storeChanged = msg {
                if changePending { return false }
                changePending = true
            }
            queue.append(msg)
            return true
        }
        if shouldWake { wake() }
    }

    /// Wakes the loop without a message (a full pipe is fine: the loop is awake already).
    func wake() {
        var byte: UInt8 = 1
        _ = write(writeFD, &byte, 1)
    }

    /// Everything queued so far, oldest first; empties the queue and the wake pipe.
    func drain() -> [Msg] {
        var buf = [UInt8](repeating: 0, count: 256)
        while read(wakeFD, &buf, buf.count) > 0 {}
        return lock.withLock {
            let out = queue
            queue.removeAll(keepingCapacity: true)
            changePending = false
            return out
        }
    }
}
