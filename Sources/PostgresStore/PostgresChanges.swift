import PostgresNIO

/// The payloads of `PostgresStore.changeChannel` notifications, as they arrive. Each is
/// sent by a writing transaction and delivered when it commits; the sequence ends with
/// an error when the connection drops (a watcher then falls back to polling).
public struct PostgresChanges: AsyncSequence, Sendable {
    public typealias Element = String
    let notifications: PostgresNotificationSequence

    public struct AsyncIterator: AsyncIteratorProtocol {
        var base: PostgresNotificationSequence.AsyncIterator
        public mutating func next() async throws -> String? { try await base.next()?.payload }
    }

    public func makeAsyncIterator() -> AsyncIterator { AsyncIterator(base: notifications.makeAsyncIterator()) }
}

extension PostgresStore {
    /// Listens on `changeChannel` while `body` runs (the `LISTEN` is in place before
    /// `body` starts, `UNLISTEN` follows its end); `body` reads the changes as they come.
    public func watchChanges<T: Sendable>(_ body: (PostgresChanges) async throws -> T) async throws -> T {
        let connection = try await exclusive { self.connection }
        return try await connection.listen(on: Self.changeChannel) { notifications in
            try await body(PostgresChanges(notifications: notifications))
        }
    }
}
