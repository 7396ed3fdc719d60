import TermGrid
import XCTest

@testable import ChatterUI

final class ActionTableTests: XCTestCase {
    func testEveryActionHasExactlyOneSpecWithHelpAndKeys() {
        for action in Action.allCases {
            let specs = ActionTable.all.filter { $0.action == action }
            XCTAssertEqual(specs.count, 1, "\(action)")
            XCTAssertFalse(specs.first?.help.isEmpty ?? true, "\(action)")
            XCTAssertFalse(specs.first?.defaults.values.flatMap { $0 }.isEmpty ?? true, "\(action)")
        }
    }

    func testEveryDefaultKeyCanBeWrittenInKeysConf() {
        for spec in ActionTable.all {
            for keys in spec.defaults.values {
                for key in keys { XCTAssertEqual(Key(name: key.name), key, key.name) }
            }
        }
    }

    func testNoKeyIsBoundTwiceInTheDefaults() {
        var seen: [KeyContext: Set<Key>] = [:]
        for spec in ActionTable.all {
            for (context, keys) in spec.defaults {
                for key in keys {
                    XCTAssertFalse(seen[context, default: []].contains(key), "\(key.name) twice in \(context)")
                    seen[context, default: []].insert(key)
                }
            }
        }
    }
}
