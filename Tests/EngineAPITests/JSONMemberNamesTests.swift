import Testing

@testable import EngineAPI

/// Names Go's `encoding/json` and Foundation's `JSONDecoder` would read differently.
@Suite struct JSONMemberNamesTests {
    func ambiguous(_ json: String) -> String? { JSONMemberNames.firstRepeatedName(in: Array(json.utf8)) }

    @Test func repeatedNamesAreFoundAtAnyDepth() {
        #expect(ambiguous(#"{"HostConfig":{"Privileged":true,"Privileged":false}}"#) == "Privileged")
        #expect(ambiguous(#"{"HostConfig":{"Privileged":true},"HostConfig":{}}"#) == "HostConfig")
        #expect(ambiguous(#"[{"a":1},{"b":[{"c":1,"c":2}]}]"#) == "c")
    }

    @Test func namesCompareAfterUnescaping() {
        #expect(ambiguous(#"{"Privileged":true,"Privil\u0065ged":false}"#) == "Privileged")
        #expect(ambiguous(#"{"x":"\ud83d\ude00","\ud83d\ude00":1,"\uD83D\uDE00":2}"#) == "\u{1F600}")
    }

    /// Case is a struct field's matter (``GoFieldMatching``): a map's keys `a` and `A` are two keys.
    @Test func namesThatDifferInCaseAreLeftToTheDecoder() {
        #expect(ambiguous(#"{"Labels":{"a":"1","A":"2"}}"#) == nil)
    }

    @Test func distinctNamesAndStringsThatLookLikeNamesPass() {
        #expect(ambiguous(#"{"a":{"a":{"a":1}},"b":["a","a"],"c":"a","d":{"x\"y":1,"x\\y":2}}"#) == nil)
        #expect(ambiguous(#"{"Labels":{"a":"}","b":"{\"b\":1,"},"b":"]"}"#) == nil)
        #expect(ambiguous("") == nil)
        #expect(ambiguous(#"{"unterminated"#) == nil)
    }

    @Test func deepNestingCostsNoStack() {
        let depth = 200_000
        let json = String(repeating: #"{"a":["#, count: depth) + String(repeating: "]}", count: depth)
        #expect(ambiguous(json) == nil)
    }
}
