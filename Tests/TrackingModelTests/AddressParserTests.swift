import TestSupport
import XCTest
@testable import TrackingModel

final class AddressParserTests: XCTestCase {
    /// What one parsed mailbox must look like; nil fields are not checked.
    struct Expected {
        var address: String
        var name: String?
        var normalized: String?
        var formatted: String?
    }

    private func box(_ address: String, name: String? = nil, normalized: String? = nil, formatted: String? = nil)
        -> Expected
    {
        Expected(address: address, name: name, normalized: normalized, formatted: formatted)
    }

    /// Lists that parse, with what they must give.
    private let validLists: [(input: String, expected: [Expected])] = [
        ("", []),
        ("   ", []),
        ("a@b", [Expected(address: "a@b", name: nil, normalized: "a@b", formatted: "a@b")]),
        ("Ann <ann@x.org>", [Expected(address: "ann@x.org", name: "Ann", normalized: "ann@x.org", formatted: "Ann <ann@x.org>")]),
        ("  Ann   Lee   <Ann.Lee@X.Org>  ", [Expected(address: "Ann.Lee@X.Org", name: "Ann Lee", normalized: "ann.lee@x.org", formatted: "Ann Lee <Ann.Lee@X.Org>")]),
        ("\"Last, First\" <a@b>", [Expected(address: "a@b", name: "Last, First", normalized: "a@b", formatted: "\"Last, First\" <a@b>")]),
        ("\"Joe \\\"the boss\\\" Q\" <joe@x.org>", [Expected(address: "joe@x.org", name: "Joe \"the boss\" Q", normalized: nil, formatted: "\"Joe \\\"the boss\\\" Q\" <joe@x.org>")]),
        ("\"a\\\\b\" <c@d>", [Expected(address: "c@d", name: "a\\b", normalized: nil, formatted: "\"a\\\\b\" <c@d>")]),
        ("a@b (Work)", [Expected(address: "a@b", name: "Work", normalized: "a@b", formatted: "Work <a@b>")]),
        ("Ann (x) <a@b>", [Expected(address: "a@b", name: "Ann", normalized: nil, formatted: "Ann <a@b>")]),
        ("(only comment) <a@b>", [Expected(address: "a@b", name: "only comment", normalized: nil, formatted: nil)]),
        ("<a@b> (after)", [Expected(address: "a@b", name: "after", normalized: nil, formatted: nil)]),
        ("a(c1)@(c2)b", [Expected(address: "a@b", name: "c1 c2", normalized: nil, formatted: nil)]),
        ("a@b (outer (nested) text)", [Expected(address: "a@b", name: "outer (nested) text", normalized: nil, formatted: nil)]),
        ("<a@b>", [Expected(address: "a@b", name: nil, normalized: nil, formatted: "a@b")]),
        ("\"\" <a@b>", [Expected(address: "a@b", name: nil, normalized: nil, formatted: "a@b")]),
        ("a@b, c@d", [Expected(address: "a@b"), Expected(address: "c@d")]),
        ("a@b; c@d", [Expected(address: "a@b"), Expected(address: "c@d")]),
        ("a@b,,c@d", [Expected(address: "a@b"), Expected(address: "c@d")]),
        (" , a@b ,; , c@d ;", [Expected(address: "a@b"), Expected(address: "c@d")]),
        ("Team: a@b, \"C, D\" <c@d>;", [Expected(address: "a@b"), Expected(address: "c@d", name: "C, D")]),
        ("undisclosed-recipients:;", []),
        ("x@y, Team: a@b;, z@w", [Expected(address: "x@y"), Expected(address: "a@b"), Expected(address: "z@w")]),
        ("Team: a@b; c@d", [Expected(address: "a@b"), Expected(address: "c@d")]),
        ("Open group: a@b", [Expected(address: "a@b")]),
        ("\"john doe\"@x.org", [Expected(address: "\"john doe\"@x.org", name: nil, normalized: "\"john doe\"@x.org", formatted: "\"john doe\"@x.org")]),
        ("\"john\"@x.org", [Expected(address: "john@x.org")]),
        ("\"a\".b@x.org", [Expected(address: "a.b@x.org")]),
        ("\"a..b\"@x.org", [Expected(address: "\"a..b\"@x.org")]),
        ("a@[127.0.0.1]", [Expected(address: "a@[127.0.0.1]", name: nil, normalized: "a@[127.0.0.1]", formatted: nil)]),
        ("a@[IPv6:2001:DB8::1]", [Expected(address: "a@[IPv6:2001:DB8::1]", name: nil, normalized: "a@[ipv6:2001:db8::1]", formatted: nil)]),
        ("ü@bücher.de", [Expected(address: "ü@bücher.de", name: nil, normalized: "ü@xn--bcher-kva.de", formatted: "ü@bücher.de")]),
        ("Ü@BÜCHER.DE.", [Expected(address: "Ü@BÜCHER.DE.", name: nil, normalized: "ü@xn--bcher-kva.de", formatted: nil)]),
        ("u\u{308}@bu\u{308}cher.de", [Expected(address: "u\u{308}@bu\u{308}cher.de", name: nil, normalized: "ü@xn--bcher-kva.de", formatted: nil)]),
        ("a@xn--bcher-kva.de", [Expected(address: "a@xn--bcher-kva.de", name: nil, normalized: "a@xn--bcher-kva.de", formatted: nil)]),
        ("用户@例子。广告", [Expected(address: "用户@例子。广告", name: nil, normalized: "用户@xn--fsqu00a.xn--4rr70v", formatted: nil)]),
        ("山田 太郎 <taro@例え.jp>", [Expected(address: "taro@例え.jp", name: "山田 太郎", normalized: "taro@xn--r8jz45g.jp", formatted: "山田 太郎 <taro@例え.jp>")]),
        ("Jürgen Weiß <jw@example.de>", [Expected(address: "jw@example.de", name: "Jürgen Weiß", normalized: nil, formatted: "Jürgen Weiß <jw@example.de>")]),
        ("John Q. Public <jqp@x.org>", [Expected(address: "jqp@x.org", name: "John Q. Public", normalized: nil, formatted: "\"John Q. Public\" <jqp@x.org>")]),
        ("ann@x.org <ann@x.org>", [Expected(address: "ann@x.org", name: "ann@x.org", normalized: nil, formatted: "\"ann@x.org\" <ann@x.org>")]),
        ("Ann\r\n <ann@x.org>", [Expected(address: "ann@x.org", name: "Ann")]),
        ("a @ b", [Expected(address: "a@b")]),
        ("root@localhost", [Expected(address: "root@localhost")]),
        ("first.last+tag@sub_domain.example.com", [Expected(address: "first.last+tag@sub_domain.example.com")]),
        ("o'brien@x.org", [Expected(address: "o'brien@x.org", name: nil, normalized: nil, formatted: "o'brien@x.org")]),
    ]

    /// Lists that must be refused: the reason and the character position.
    private let invalidLists: [(input: String, reason: String, position: Int)] = [
        ("foo", "missing @", 3),
        ("foo@", "missing domain", 4),
        ("@x.org", "empty local part", 0),
        ("Ann <@x.org>", "empty local part", 5),
        ("Ann <>", "empty address", 4),
        ("\"unterminated@x.org", "unterminated quoted string", 0),
        ("a@b (open", "unterminated comment", 4),
        ("a@b (x (y)", "unterminated comment", 4),
        ("Ann <a@b", "unterminated angle bracket", 4),
        ("Ann <a@b, c@d", "unterminated angle bracket", 4),
        ("Ann <<a@b>>", "nested angle brackets", 5),
        ("Ann <a<b@c>", "nested angle brackets", 6),
        ("a@[1.2.3.4", "unterminated domain literal", 2),
        ("a@b..c", "empty domain label", 4),
        ("a@.b", "empty domain label", 2),
        ("a@" + String(repeating: "x", count: 64) + ".com", "domain label longer than 63 characters", 2),
        ("a@-x.com", "domain label starts with a hyphen", 2),
        ("a@x-.com", "domain label ends with a hyphen", 3),
        ("a@b!c.com", "invalid character '!' in domain", 3),
        ("a@xn--zz!.com", "invalid character '!' in domain", 8),
        ("a@xn--999999999999.com", "invalid punycode label", 2),
        ("a@pay\u{202E}lap.com", "invalid character U+202E in domain", 5),
        ("a@x\u{200B}y.com", "invalid character U+200B in domain", 3),
        ("a\u{7}@b", "control character U+0007", 1),
        ("\"a\u{0}\"@b", "control character U+0000", 2),
        ("a@b\u{1B}[31m", "control character U+001B", 3),
        ("a@b\u{85}", "control character U+0085", 3),
        ("a@b c@d", "unexpected text after address", 4),
        ("john doe@x.org", "space in local part must be quoted", 5),
        (".a@b", "misplaced dot in local part", 0),
        ("a..b@c", "misplaced dot in local part", 0),
        ("a.@b", "misplaced dot in local part", 0),
        ("a@b@c", "unexpected '@'", 3),
        ("<a@b> c", "unexpected text after '>'", 6),
        ("Ann > a@b", "unexpected '>'", 4),
        ("a@b)", "unexpected ')'", 3),
        ("a\\b@c", "unexpected '\\'", 1),
        ("A: B: c@d;;", "nested group", 4),
        (": a@b;", "missing group name", 0),
        ("a@\"b\"", "quoted text in domain", 2),
        ("[x]@b", "unexpected domain literal in local part", 0),
        ("a@[]", "empty domain literal", 2),
        ("a@b, 山田 <太郎@例え.jp>, c", "missing @", 21),
        ("😀😀 <x@-y>", "domain label starts with a hyphen", 6),
    ]

    func testValidLists() {
        for (input, expected) in validLists {
            switch AddressParser.parseList(input) {
            case .failure(let error):
                XCTFail("\(input.debugDescription): unexpected \(error)")
            case .success(let mailboxes):
                XCTAssertEqual(mailboxes.count, expected.count, input.debugDescription)
                for (got, want) in zip(mailboxes, expected) {
                    XCTAssertEqual(got.address, want.address, input.debugDescription)
                    if let name = want.name { XCTAssertEqual(got.displayName, name, input.debugDescription) }
                    if let normalized = want.normalized {
                        XCTAssertEqual(got.normalized, normalized, input.debugDescription)
                    }
                    if let formatted = want.formatted {
                        XCTAssertEqual(got.formatted, formatted, input.debugDescription)
                    }
                }
            }
        }
    }

    func testNoDisplayNameWhenNoneGiven() throws {
        let mailbox = try AddressParser.parseMailbox("<a@b>").get()
        XCTAssertNil(mailbox.displayName)
        XCTAssertNil(try AddressParser.parseMailbox("\"  \" <a@b>").get().displayName)
    }

    func testInvalidLists() {
        for (input, reason, position) in invalidLists {
            switch AddressParser.parseList(input) {
            case .success(let mailboxes):
                XCTFail("\(input.debugDescription): expected \(reason), got \(mailboxes)")
            case .failure(let error):
                XCTAssertEqual(error.reason, reason, input.debugDescription)
                XCTAssertEqual(error.position, position, input.debugDescription)
                XCTAssertEqual(error.input, input)
            }
        }
    }

    func testErrorDescriptionIsOneClearLine() {
        guard case .failure(let error) = AddressParser.parseList("foo@") else {
            return XCTFail("foo@ must be refused")
        }
        XCTAssertEqual(error.description, "invalid address \"foo@\": missing domain at 4")

        guard case .failure(let nasty) = AddressParser.parseList("a\u{1B}[2J\nb") else {
            return XCTFail("control character must be refused")
        }
        XCTAssertFalse(nasty.description.contains("\u{1B}"))
        XCTAssertFalse(nasty.description.contains("\n"))

        guard case .failure(let long) = AddressParser.parseList(String(repeating: "x", count: 500)) else {
            return XCTFail("no @ must be refused")
        }
        XCTAssertLessThan(long.description.count, 150)
        XCTAssertEqual(long.position, 500)
    }

    func testParseMailboxWantsExactlyOne() {
        XCTAssertEqual(try AddressParser.parseMailbox(" Ann <ann@x.org> ").get().address, "ann@x.org")
        XCTAssertEqual(try AddressParser.parseMailbox("a@b (Work)").get().displayName, "Work")

        let refusals: [(String, String, Int)] = [
            ("", "empty address", 0),
            (" , ; ", "empty address", 5),
            ("a@b, c@d", "expected one address, found 2", 5),
            ("a@b; c@d", "expected one address, found 2", 5),
            ("Team: a@b;", "a group is not a single address", 0),
            ("undisclosed-recipients:;", "a group is not a single address", 0),
            ("foo@", "missing domain", 4),
        ]
        for (input, reason, position) in refusals {
            switch AddressParser.parseMailbox(input) {
            case .success(let mailbox):
                XCTFail("\(input.debugDescription): expected \(reason), got \(mailbox)")
            case .failure(let error):
                XCTAssertEqual(error.reason, reason, input.debugDescription)
                XCTAssertEqual(error.position, position, input.debugDescription)
            }
        }
    }

    func testNormalize() {
        XCTAssertEqual(AddressParser.normalize("Ann.Lee@Example.COM."), "ann.lee@example.com")
        XCTAssertEqual(AddressParser.normalize("ü@bücher.de"), "ü@xn--bcher-kva.de")
        XCTAssertEqual(AddressParser.normalize("Ü@xn--BCHER-KVA.de"), "ü@xn--bcher-kva.de")
        XCTAssertEqual(AddressParser.normalize("müller@bücher.example"), "müller@xn--bcher-kva.example")
        XCTAssertEqual(AddressParser.normalize("Ann <ann@X.org>"), "ann@x.org")
        XCTAssertNil(AddressParser.normalize("foo"))
        XCTAssertNil(AddressParser.normalize("a@b, c@d"))
        XCTAssertNil(AddressParser.normalize(""))
    }

    func testSameAddressSpelledDifferentlyNormalizesEqual() throws {
        let spellings = ["ü@bücher.de", "Ü@BÜCHER.DE.", "u\u{308}@bu\u{308}cher.de", "\"ü\"@xn--bcher-kva.de", "ü@bücher。de"]
        let normalized = Set(try spellings.map { try AddressParser.parseMailbox($0).get().normalized })
        XCTAssertEqual(normalized, ["ü@xn--bcher-kva.de"])
    }

    func testCharacterOffsetsCountGraphemes() {
        // "e\u{301}" is one character of two scalars; the error must count characters.
        guard case .failure(let error) = AddressParser.parseList("e\u{301}e\u{301}@") else {
            return XCTFail("missing domain must be refused")
        }
        XCTAssertEqual(error.position, 3)
    }

    func testFormattedRoundTrips() throws {
        let inputs = [
            "\"Last, First\" <a@b>", "John Q. Public <jqp@x.org>", "\"john doe\"@x.org", "a@b (Work)",
            "\"Joe \\\"Q\\\"\" <j@x.org>", "山田 太郎 <taro@例え.jp>", "\"a\\\\b\"@c",
        ]
        for input in inputs {
            let first = try AddressParser.parseMailbox(input).get()
            let again = try AddressParser.parseMailbox(first.formatted).get()
            XCTAssertEqual(again, first, input)
        }
    }

    /// Random text from characters that stress every branch: nothing crashes, every
    /// error points inside the input, and every success formats to text that parses back.
    func testRandomInputNeverCrashes() {
        let alphabet: [String] = [
            "a", "b", "x", "n", "-", ".", "@", "@", "<", ">", ",", ";", ":", "\"", "\\", "(", ")", "[", "]",
            " ", "\t", "\r\n", "\n", "ü", "山", "。", "e\u{301}", "\u{0}", "\u{7}", "\u{1B}", "\u{7F}", "\u{85}",
            "\u{202E}", "\u{3000}", "😀", "xn--", "0", "'", "_",
        ]
        var generator = SeededGenerator(seed: 0x5EED_ADD2E55)
        var ok = 0
        var failed = 0
        for _ in 0..<10_000 {
            let length = Int(generator.next() % 24)
            var text = ""
            for _ in 0..<length { text += alphabet[Int(generator.next() % UInt64(alphabet.count))] }
            switch AddressParser.parseList(text) {
            case .success(let mailboxes):
                ok += 1
                for mailbox in mailboxes {
                    switch AddressParser.parseMailbox(mailbox.formatted) {
                    case .success(let again):
                        XCTAssertEqual(again.normalized, mailbox.normalized, text.debugDescription)
                    case .failure(let error):
                        XCTFail("\(text.debugDescription) formatted as \(mailbox.formatted.debugDescription): \(error)")
                    }
                }
            case .failure(let error):
                failed += 1
                XCTAssertTrue((0...text.count).contains(error.position), text.debugDescription)
                XCTAssertFalse(error.reason.isEmpty)
            }
            _ = AddressParser.normalize(text)
        }
        XCTAssertEqual(ok + failed, 10_000)
        XCTAssertGreaterThan(ok, 0, "the alphabet should produce some valid lists")
    }

    func testPunycodeRFC3492Vectors() {
        let vectors: [(String, String)] = [
            ("bücher", "bcher-kva"),
            ("münchen", "mnchen-3ya"),
            ("他们为什么不说中文", "ihqwcrb4cv8a8dqg056pqjye"),
            ("ليهمابتكلموشعربي؟", "egbpdaj6bu4bxfgehfvwxn"),
            ("почемужеонинеговорятпорусски", "b1abfaaepdrnnbgefbadotcwatmq2g4l"),
            ("なぜみんな日本語を話してくれないのか", "n8jok5ay5dzabd5bym9f0cm5685rrjetr6pdxa"),
            ("3年B組金八先生", "3B-ww4c5e180e575a65lsy2b"),
            ("安室奈美恵-with-SUPER-MONKEYS", "-with-SUPER-MONKEYS-pc58ag80a8qai00g7n9n"),
        ]
        for (unicode, ascii) in vectors {
            XCTAssertEqual(Punycode.encode(unicode), ascii, unicode)
            XCTAssertEqual(Punycode.decode(ascii), unicode, ascii)
        }
    }

    func testPunycodeRefusesGarbage() {
        XCTAssertNil(Punycode.decode("abc-!"))
        XCTAssertNil(Punycode.decode("999999999999999"))
        XCTAssertNil(Punycode.decode("ü-abc"))
        XCTAssertNil(Punycode.decode("zz"), "digits that never end their number")
    }
}

extension AddressParserTests {
    func testHugeInputsStayFast() {
        let longLabel = "a@" + String(repeating: "ü", count: 200_000) + ".de"
        guard case .failure(let error) = AddressParser.parseList(longLabel) else {
            return XCTFail("a 200k-character label must be refused")
        }
        XCTAssertEqual(error.reason, "domain label longer than 63 characters")

        let many = (0..<5_000).map { "user\($0)@example.com" }.joined(separator: ", ")
        XCTAssertEqual(try AddressParser.parseList(many).get().count, 5_000)

        let deepComment = "a@b " + String(repeating: "(", count: 50_000) + String(repeating: ")", count: 50_000)
        XCTAssertEqual(try AddressParser.parseList(deepComment).get().first?.address, "a@b")
    }
}
