import Foundation
import NIOCore
import NIOHTTP1
import Testing

@testable import EngineAPI

/// The request as dockerd's Go server reads it, so an authorization plugin is shown what runs.
@Suite struct RequestCanonicalTests {
    func request(_ uri: String, contentType: [String] = [], body: String = "") -> HTTPRequest {
        var headers = HTTPHeaders()
        for type in contentType { headers.add(name: "Content-Type", value: type) }
        return HTTPRequest(method: .POST, uri: uri, headers: headers, body: ByteBuffer(string: body))
    }

    @Test func pathsCleanAsGorillaMuxCleansThem() {
        let cases = [
            "/containers/create": "/containers/create", "//containers/create": "/containers/create",
            "/containers//create": "/containers/create", "/containers/./create": "/containers/create",
            "/x/../containers/create": "/containers/create", "/../../containers/create": "/containers/create",
            "/containers/create/": "/containers/create/", "/v1.41//containers/json": "/v1.41/containers/json",
            "/containers%2F%2Fcreate": "/containers/create", "/": "/", "//": "/", "/.": "/",
        ]
        for (uri, clean) in cases {
            #expect(request(uri).cleanPath == clean, "\(uri)")
        }
        #expect(request("//containers//create?name=a&name=b").cleanLocation == "/containers/create?name=a&name=b")
    }

    @Test func pluginsAreShownTheDecodedPathThatIsRouted() {
        #expect(request("/containers%2Fcreate?name=a%2Fb").canonicalURI == "/containers/create?name=a%2Fb")
        #expect(request("/v1.41/containers/%63reate").canonicalURI == "/v1.41/containers/create")
        #expect(request("http://docker/containers/json?all=1").canonicalURI == "/containers/json?all=1")
        #expect(request("/images/caf%C3%A9%20x/json").canonicalURI == "/images/caf%C3%A9%20x/json")
        #expect(request("/images/127.0.0.1:5000/a@sha256:ab/json").canonicalURI == "/images/127.0.0.1:5000/a@sha256:ab/json")
    }

    @Test func repeatedQueryParametersReadTheFirstAsGoDoes() {
        let repeated = request("/containers/create?name=allowed&name=forbidden&force=0&force=1")
        #expect(repeated.query("name") == "allowed")
        #expect(!repeated.flag("force"))
    }

    @Test func malformedQueryEscapesAreRefusedAsDockerdRefusesThem() {
        #expect(request("/containers/json?all=%zz").malformedQueryEscape?.message == #"invalid URL escape "%zz""#)
        #expect(request("/containers/json?all=1%2").malformedQueryEscape?.message == #"invalid URL escape "%2""#)
        #expect(request("/containers/json?a=%41%2f&b=+").malformedQueryEscape == nil)
        #expect(request("/containers%zz/json").malformedQueryEscape == nil)
    }

    @Test func onlyTheJSONMediaTypeIsJSON() {
        for type in ["application/json", "Application/JSON", "application/json; charset=utf-8", "application/json;", " application/json ; a=\"x;y\"; b=c"] {
            #expect(request("/x", contentType: [type]).hasJSONContentType, "\(type)")
        }
        for type in ["text/plain", "application/jsonx", "application/json;;", "application/json; a", "application/json; =b", "application/json; a=\"x", "application/x-json"] {
            #expect(!request("/x", contentType: [type]).hasJSONContentType, "\(type)")
        }
        #expect(!request("/x").hasJSONContentType)
        #expect(!request("/x", contentType: ["application/json", "text/plain"]).hasJSONContentType)
    }

    @Test func aBodyThatIsNotDeclaredJSONIsRefusedWithDockerdsMessage() throws {
        let plain = request("/containers/create", contentType: ["text/plain"], body: #"{"Image":"busybox"}"#)
        #expect(throws: EngineErrorResponse(status: .badRequest, message: "Content-Type specified (text/plain) must be 'application/json'")) {
            try plain.decodeBody([String: String].self)
        }
        let untyped = request("/containers/create", body: #"{"Image":"busybox"}"#)
        #expect(throws: EngineErrorResponse(status: .badRequest, message: "Content-Type specified () must be 'application/json'")) {
            try untyped.decodeBody([String: String].self)
        }
        try request("/exec/x/start").checkJSONContentType()
        let json = request("/containers/create", contentType: ["application/json; charset=utf-8"], body: #"{"Image":"busybox"}"#)
        #expect(try json.decodeBody([String: String].self) == ["Image": "busybox"])
    }

    @Test func ambiguousBodiesAreRefused() {
        let body = #"{"Image":"busybox","HostConfig":{"Privileged":true,"Privileged":false}}"#
        let ambiguous = request("/containers/create", contentType: ["application/json"], body: body)
        #expect(throws: EngineErrorResponse.self) { try ambiguous.decodeBody([String: JSONValueProbe].self) }
    }

    @Test func pluginsAreNotShownCredentials() {
        var headers = HTTPHeaders()
        headers.add(name: "content-type", value: "application/json")
        headers.add(name: "X-REGISTRY-AUTH", value: "secret")
        headers.add(name: "x-registry-config", value: "secret")
        headers.add(name: "Authorization", value: "Basic secret")
        headers.add(name: "x-custom", value: "first")
        headers.add(name: "X-Custom", value: "second")
        #expect(AuthorizationGate.shown(headers) == ["Content-Type": "application/json", "X-Custom": "first"])
        #expect(AuthorizationGate.canonicalName("docker-CLIENT-version") == "Docker-Client-Version")
        #expect(AuthorizationGate.canonicalName("bad name") == "bad name")
    }
}

/// Any JSON value, for decoding bodies whose shape a test does not care about.
private struct JSONValueProbe: Decodable {
    init(from decoder: any Decoder) throws {}
}
