import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// How many connections `chatter serve` holds and how long it waits on each. Without these
/// a flood of connections took every file descriptor (the process then died), and slow or
/// idle clients held their connections for as long as they liked.
public struct ConnectionLimits: Sendable, Equatable {
    /// Connections held at once, all addresses together; a new one over it is closed at once
    /// (or, when one address holds far more than the newcomer's, that address's oldest goes).
    public var maxConnections: Int
    /// Connections held at once from one client address (trusted proxies are exempt).
    public var maxPerAddress: Int
    /// A connection waiting for a request (just opened, or kept alive after an answer) that
    /// receives no byte for this long is closed (seconds).
    public var idleTimeout: Double
    /// From a request's first byte, its whole head must arrive within this (seconds).
    public var headerTimeout: Double
    /// From a request's head, its body must end within this (seconds).
    public var bodyTimeout: Double

    /// `maxConnections` nil: derived from the process's descriptor limit.
    public init(
        maxConnections: Int? = nil, maxPerAddress: Int = 64, idleTimeout: Double = 15, headerTimeout: Double = 10,
        bodyTimeout: Double = 30
    ) {
        self.maxConnections = maxConnections ?? Self.defaultMaxConnections(descriptorLimit: DescriptorLimit.current)
        self.maxPerAddress = maxPerAddress
        self.idleTimeout = idleTimeout
        self.headerTimeout = headerTimeout
        self.bodyTimeout = bodyTimeout
    }

    /// Descriptors kept out of the connection limit for everything else the process opens
    /// (the store and its journal, logs, SNS and SMTP sockets, the event loops' own).
    public static func reservedDescriptors(of limit: Int) -> Int { max(64, limit / 8) }

    /// The default connection limit under a descriptor limit: what is left after the reserve,
    /// at most 10,000 (memory), at least 16.
    public static func defaultMaxConnections(descriptorLimit limit: Int) -> Int {
        max(16, min(10_000, limit - reservedDescriptors(of: limit)))
    }

    /// The connections past which accepting pauses (the kernel's backlog waits) instead of
    /// accepting and closing: a second guard for when closing lags behind a flood, still
    /// below the descriptor limit.
    public static func acceptPauseThreshold(maxConnections: Int, descriptorLimit limit: Int) -> Int {
        max(maxConnections + 1, min(limit - reservedDescriptors(of: limit) / 2, maxConnections * 2))
    }
}

/// The process's open-file limit (`RLIMIT_NOFILE`).
public enum DescriptorLimit {
    /// Raises the soft limit to the hard one (no privilege needed; an unlimited hard limit
    /// counts as 1,048,576) and returns the soft limit in force afterwards.
    @discardableResult
    public static func raiseSoftToHard() -> Int {
        var limit = rlimit()
        guard get(&limit) else { return 1024 }
        let target = limit.rlim_max == rlim_t.max ? rlim_t(1 << 20) : limit.rlim_max
        if limit.rlim_cur < target {
            var raised = limit
            raised.rlim_cur = target
            if set(&raised) { limit = raised }
        }
        return Int(clamping: limit.rlim_cur)
    }

    /// The soft limit in force.
    public static var current: Int {
        var limit = rlimit()
        return get(&limit) ? Int(clamping: limit.rlim_cur) : 1024
    }

    private static func get(_ limit: inout rlimit) -> Bool {
        #if os(Linux)
            getrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &limit) == 0
        #else
            getrlimit(RLIMIT_NOFILE, &limit) == 0
        #endif
    }

    private static func set(_ limit: inout rlimit) -> Bool {
        #if os(Linux)
            setrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &limit) == 0
        #else
            setrlimit(RLIMIT_NOFILE, &limit) == 0
        #endif
    }
}
