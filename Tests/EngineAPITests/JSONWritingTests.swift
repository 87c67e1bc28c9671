import Foundation
import Messages
import Testing

@Suite("JSONValue writing")
struct JSONWritingTests {
    private func text(_ value: JSONValue) -> String { String(decoding: value.encoded(), as: UTF8.self) }

    @Test func objectsHaveSortedKeysAndNoSpaces() {
        #expect(text(["b": 1, "a": [true, nil, "x"], "c": [:]]) == #"{"a":[true,null,"x"],"b":1,"c":{}}"#)
    }

    @Test func stringsEscapeQuotesBackslashesAndControlsButNotSlashes() {
        #expect(text(.string("a\"b\\c/d\n\t\u{1}é")) == #""a\"b\\c/d\n\t\u0001é""#)
    }

    @Test func numbers() {
        #expect(text([.int(-42), .double(3), .double(0.25), .double(.nan)]) == "[-42,3,0.25,null]")
    }

    @Test func foundationReadsWhatItWrites() throws {
        let document: JSONValue = ["Labels": ["com.example/x": "y\u{7f}"], "Name": "/web", "Ratio": 1.5, "Size": .int(1 << 40)]  // decoding sorts keys
        let decoded = try JSONDecoder().decode(JSONValue.self, from: document.encoded())
        #expect(decoded == document)
    }
}

@Suite("JSONValue encoding")
struct JSONValueEncodingTests {
    private struct Sample: Codable, Equatable {
        var Name: String
        var Labels: [String: String]
        var Cmd: [String]?
        var Memory: Int64
        var Ratio: Double
        var Missing: String?
        var Nested: [Inner]
        var Blob: Data
    }

    private struct Inner: Codable, Equatable {
        var Port: UInt16
        var Open: Bool
    }

    private let sample = Sample(
        Name: "web", Labels: ["b": "2", "a": "1"], Cmd: ["sh", "-c", "true"], Memory: 1 << 33, Ratio: 0.5, Missing: nil,
        Nested: [Inner(Port: 80, Open: true)], Blob: Data([1, 2, 3]))

    @Test func buildsWhatJSONEncoderAndDecoderWouldGive() throws {
        let direct = JSONValue.encoding(sample)
        let roundTrip = try JSONDecoder().decode(JSONValue.self, from: JSONEncoder().encode(sample))
        #expect(direct.encoded() == roundTrip.encoded())
        #expect(direct["Missing"] == nil)
        #expect(direct["Blob"] == "AQID")
    }

    @Test func decodesBackToTheValue() throws {
        #expect(try JSONDecoder().decode(Sample.self, from: JSONValue.encoding(sample).encoded()) == sample)
    }
}
