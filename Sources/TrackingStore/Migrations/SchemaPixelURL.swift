import GRDB

extension Schema {
    /// The pixel URL the row's mail carried, stamped by the sender when the server
    /// accepts the mail (`recordOutcomes(_:pixelURL:policy:)`): `trackings --json`
    /// shows it, so a `send --base-url` elsewhere than the configured base does not
    /// make the listing disagree with the mail. NULL: sent before this step, sent
    /// without a pixel, or not sent yet (the listing then builds the URL as before).
    static func v8PixelURL(_ db: Database) throws {
        try db.execute(sql: "ALTER TABLE trackings ADD COLUMN pixel_url TEXT")
    }
}
