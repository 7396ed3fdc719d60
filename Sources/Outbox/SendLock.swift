import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The one-sender-per-store lock (`flock` on `STORE.send-lock`): whoever holds it
/// may treat every outbox entry in `sending` as left by a sender that died. Held
/// until the process exits (the kernel drops it, even after `kill -9`).
public final class SendLock {
    private let fd: Int32

    /// Takes the lock, or fails at once when another sender has it.
    public init(storePath: String) throws {
        let path = storePath + ".send-lock"
        let fd = open(path, O_CREAT | O_RDWR | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw SendLockError.cannotOpen(path, String(cString: strerror(errno))) }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            close(fd)
            throw SendLockError.held(path)
        }
        self.fd = fd
    }

    deinit { close(fd) }
}

/// Why the send lock was not taken.
public enum SendLockError: Error, CustomStringConvertible {
    case cannotOpen(String, String)
    case held(String)

    public var description: String {
        switch self {
        case .cannotOpen(let p, let why): return "cannot open \(p): \(why)"
        case .held(let p): return "another `chatter send` is running on this store (\(p) is locked)"
        }
    }
}
