import Foundation

/// Case-insensitive containment, the rule of every search and find.
func matches(_ text: String, _ query: String) -> Bool {
    query.isEmpty || text.range(of: query, options: .caseInsensitive) != nil
}
