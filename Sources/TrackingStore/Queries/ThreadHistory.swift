import GRDB
import TrackingModel

extension TrackingStore {
    /// One page of a thread's history (all its messages, newest first), from
    /// either end or beside a keyset position: the chatter pane reads the
    /// oldest message of a 5,000-message thread in one step along
    /// `messages_thread` (walked backwards), never paging through the rest.
    public func threadHistory(id: Int64, page: PageRequest) throws(StoreError) -> Page<MessageView> {
        try read { db in
            let k = KeysetPage(page, time: "m.date", id: "m.id")
            let views = try Self.messages(
                db, sql: Self.messageSelect + " WHERE m.thread_id = ?" + k.andClause + k.order + " LIMIT ?"
            ) { s in
                s.bind(1, id)
                s.bind(k.bind(to: s, from: 2), k.limit)
            }
            let list = k.newestFirst(views)
            return Page(rows: list, next: k.next(list.map { ($0.date, $0.id) }))
        }
    }
}
