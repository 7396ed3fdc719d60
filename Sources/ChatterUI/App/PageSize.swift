/// Rows per load of a list; lists grow by this many when the cursor nears the end.
public let pageSize = 200
