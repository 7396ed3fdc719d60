import TrackingModel

/// A receiving domain that started refusing our mail, for the header's banner:
/// "outlook.com is refusing our mail (blocked · 23 since 09:12)".
public struct Refusal: Sendable, Hashable {
    public var domain: String
    public var cause: FailureCause
    /// Failures within the configured window.
    public var count: Int
    /// The first of them (UTC epoch seconds).
    public var since: Double

    public init(domain: String, cause: FailureCause, count: Int, since: Double) {
        self.domain = domain
        self.cause = cause
        self.count = count
        self.since = since
    }
}

/// When the banner shows: `threshold` failures of one sender-side cause at one
/// domain within `window` seconds (config.toml `[ui]`: `banner_threshold`,
/// `banner_window_minutes`; default 10 within an hour).
public struct BannerRule: Sendable, Hashable {
    public var threshold: Int
    public var window: Double

    public init(threshold: Int = 10, window: Double = 3600) {
        self.threshold = threshold
        self.window = window
    }
}

/// The banner's pieces for the worst refusal (most failures), nil when none.
func bannerPieces(_ state: AppState) -> [Piece]? {
    guard let r = state.header.refusals.first else { return nil }
    let g = Glyphs(ascii: state.display.ascii)
    let since = String(TimeText.stamp(r.since, utcOffset: state.display.utcOffset).suffix(5))
    let more = state.header.refusals.count > 1 ? " +\(state.header.refusals.count - 1) more" : ""
    return [
        Piece(" \(r.domain) is refusing our mail", .danger),
        Piece(" (\(r.cause.rawValue) \(g.dot) \(r.count) since \(since))\(more)", .danger),
    ]
}
