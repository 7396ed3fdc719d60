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

    func testEveryDefaultKeyNameParsesAndRoundTrips() {
        for spec in ActionTable.all {
            for keys in spec.defaults.values {
                for name in keys {
                    let key = KeyName.parse(name)
                    XCTAssertNotNil(key, name)
                    XCTAssertEqual(key.flatMap(KeyName.name(of:)), name)
                }
            }
        }
    }
}
