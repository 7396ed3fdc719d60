import Foundation

/// Admits or sheds connections by `ConnectionLimits`: at most `maxPerAddress` from one
/// client address (exempt addresses, the trusted proxies, have none), at most
/// `maxConnections` in all. A newcomer over a limit is shed (closed at once, before a byte
/// is read), except that when all slots are taken and some address holds at least two more
/// than the newcomer's, that address's oldest connection is closed to make room: one flooding
/// address cannot starve the others. Thread-safe; the event loops call it as they accept.
public final class ConnectionGate: @unchecked Sendable {
    /// What `admit` decided.
    public enum Admission: Equatable, Sendable {
        case admitted(UInt64)
        case shedPerAddress
        case shedFull
    }

    private struct Held {
        var id: UInt64
        var close: @Sendable () -> Void
    }

    private let lock = NSLock()
    private let maxConnections: Int
    private let maxPerAddress: Int
    private let isExempt: @Sendable (String) -> Bool
    private let counters: PixelCounters
    private var byAddress: [String: [Held]] = [:]
    private var addressOf: [UInt64: String] = [:]
    private var nextId: UInt64 = 0

    public init(
        limits: ConnectionLimits, counters: PixelCounters = PixelCounters(),
        isExempt: @escaping @Sendable (String) -> Bool = { _ in false }
    ) {
        maxConnections = max(1, limits.maxConnections)
        maxPerAddress = max(1, limits.maxPerAddress)
        self.isExempt = isExempt
        self.counters = counters
    }

    /// Connections held now.
    public var open: Int { lock.withLock { addressOf.count } }

    /// Admits a connection from `address` (its id, for `release`), or says why it is shed;
    /// `close` closes it, should it be evicted later.
    public func admit(address: String, close: @escaping @Sendable () -> Void) -> Admission {
        var evicted: (@Sendable () -> Void)?
        let admission: Admission = lock.withLock {
            let mine = byAddress[address]?.count ?? 0
            if mine >= maxPerAddress, !isExempt(address) { return .shedPerAddress }
            if addressOf.count >= maxConnections {
                let candidates = byAddress.lazy.filter { !self.isExempt($0.key) }
                guard let (heavy, held) = candidates.max(by: { $0.value.count < $1.value.count }),
                    held.count >= mine + 2, let oldest = held.first
                else { return .shedFull }
                remove(oldest.id, from: heavy)
                evicted = oldest.close
            }
            nextId += 1
            byAddress[address, default: []].append(Held(id: nextId, close: close))
            addressOf[nextId] = address
            return .admitted(nextId)
        }
        switch admission {
        case .admitted: break
        case .shedPerAddress: counters.add("connectionShedPerAddress")
        case .shedFull: counters.add("connectionShed")
        }
        if let evicted {
            counters.add("connectionEvicted")
            evicted()
        }
        return admission
    }

    /// Forgets connection `id` (it closed); nothing when it was evicted already.
    public func release(_ id: UInt64) {
        lock.withLock {
            if let address = addressOf[id] { remove(id, from: address) }
        }
    }

    /// Lock held.
    private func remove(_ id: UInt64, from address: String) {
        addressOf[id] = nil
        guard var held = byAddress[address] else { return }
        held.removeAll { $0.id == id }
        byAddress[address] = held.isEmpty ? nil : held
    }
}
