import Foundation
import Messages
import Testing

@testable import EngineAPI

/// Members match properties as Go's `encoding/json` matches struct fields, so berthd runs what a Go
/// authorization plugin reading Docker's types was shown.
@Suite struct GoFieldMatchingTests {
    struct Body: Decodable, Equatable {
        var Image: String?
        var User: String?
        var HostConfig: Host?
        var Labels: [String: String]?
        var Mounts: [Host]?
    }

    struct Host: Decodable, Equatable {
        var Privileged: Bool?
        var user: String?
    }

    func decode(_ json: String) throws -> Body { try HTTPRequest.decodeJSON(Body.self, from: Data(json.utf8)) }

    @Test func membersMatchPropertiesIgnoringCase() throws {
        let body = try decode(#"{"image":"busybox","USER":"1000","hostconfig":{"privileged":true},"mounts":[{"PRIVILEGED":true}]}"#)
        #expect(body == Body(Image: "busybox", User: "1000", HostConfig: Host(Privileged: true), Mounts: [Host(Privileged: true)]))
        #expect(try decode(#"{"\u017Fer":"x","\u212Aey":"y"}"#) == Body())
    }

    @Test func anExactPropertyNameIsNotTakenByAnother() throws {
        #expect(try decode(#"{"HostConfig":{"user":"exact"}}"#).HostConfig == Host(user: "exact"))
        #expect(try decode(#"{"HostConfig":{"USER":"folded"}}"#).HostConfig == Host(user: "folded"))
    }

    @Test func dictionaryKeysStayExact() throws {
        #expect(try decode(#"{"Labels":{"user":"a","Image":"b"}}"#).Labels == ["user": "a", "Image": "b"])
        #expect(try decode(#"{"Labels":{"a":"1","A":"2"}}"#).Labels == ["a": "1", "A": "2"])
    }

    /// Go reads these as one field and keeps the last; berthd refuses them (a 400) rather than guess.
    @Test func structMembersThatDifferOnlyInCaseAreRefused() {
        for json in [
            #"{"HostConfig":{"Privileged":true,"privileged":false}}"#, #"{"hostconfig":{},"HostConfig":{}}"#,
            #"{"Mounts":[{"PRIVILEGED":true,"privileged":false}]}"#, #"{"Kernel":1,"\u212Aernel":2}"#,
        ] {
            #expect(throws: EngineErrorResponse.self, "\(json)") { try decode(json) }
        }
    }

    @Test func documentsAndContainerConfigsDecodeAsBefore() throws {
        let config = try HTTPRequest.decodeJSON(ContainerConfig.self, from: Data(#"{"image":"busybox","cmd":"ls -l","Env":["A=1"],"Labels":{"a":"b"}}"#.utf8))
        #expect(config.Image == "busybox" && config.Cmd == ["ls -l"] && config.Env == ["A=1"] && config.Labels == ["a": "b"])
        let value = try HTTPRequest.decodeJSON(JSONValue.self, from: Data(#"{"b":[1,2.5,"x",null,true],"A":{}}"#.utf8))
        #expect(value == ["A": [:], "b": [1, 2.5, "x", nil, true]])
    }
}
