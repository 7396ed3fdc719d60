import ChatterUI
import EventIngest
import TrackingModel

/// What the front is run with, built by the executable from its options: the
/// runtime reads no command line and no environment beyond what this names.
public struct FrontConfiguration {
    /// The current user ("me").
    public var me: PartnerRef
    /// The keymap in force (see `KeysConfig`).
    public var keymap: Keymap
    /// The keymap file's errors, shown on the status line at start.
    public var keymapErrors: [KeymapError]
    /// ASCII markers and borders only (a non-UTF-8 locale chooses them too).
    public var ascii = false
    /// No colour: glyphs with bold / underline / reverse only.
    public var mono = false
    /// Apply plausible demo events every few seconds (the demo store).
    public var liveDemo = false
    /// Compose queues its message as one shared mail instead of one per recipient.
    public var sharedMail = false
    /// The poller's config.toml (no file: the header says "poller off").
    public var pollerConfigPath: String = PollerConfig.defaultPath
    /// How the background sender sends, if at all.
    public var sender: SenderSetup = .notConfigured
    /// When the header's banner names a receiver refusing our mail (config.toml `[ui]`).
    public var banner = BannerRule()
    /// Seconds between two looks at the store's `PRAGMA data_version`.
    public var watchInterval: Double = 0.2

    /// The banner rule from config.toml's `[ui]` figures.
    public mutating func setBanner(threshold: Int, windowMinutes: Int) {
        banner = BannerRule(threshold: threshold, window: Double(windowMinutes) * 60)
    }

    /// A configuration with the defaults above.
    public init(me: PartnerRef, keymap: Keymap = .defaults, keymapErrors: [KeymapError] = []) {
        self.me = me
        self.keymap = keymap
        self.keymapErrors = keymapErrors
    }
}
