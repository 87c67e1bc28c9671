import Foundation
import Messages
import Testing

@testable import Plugins

@Suite struct PluginAuthorizationTests {
    let request = AuthorizationRequest(
        method: "POST", uri: "/v1.50/containers/create?name=web", headers: ["Content-Type": "application/json"],
        body: Data(#"{"Image":"nginx"}"#.utf8))

    static func authz(allow: Bool, message: String = "") -> [String: FakePlugin.Route] {
        let reply: FakePlugin.Route = { _ in .json(["Allow": .bool(allow), "Msg": .string(message)]) }
        return ["AuthZPlugin.AuthZReq": reply, "AuthZPlugin.AuthZRes": reply]
    }

    @Test func allowsWhenNoPluginIsConfigured() async throws {
        let sandbox = try PluginsSandbox()
        defer { sandbox.remove() }
        #expect(try await sandbox.child().authorize(request) == .allowed)
    }

    @Test func theFirstDenialWins() async throws {
        let sandbox = try PluginsSandbox(authorizationPlugins: ["open", "strict", "never"])
        defer { sandbox.remove() }
        let open = try await sandbox.startPlugin("open", implements: ["authz"], routes: Self.authz(allow: true))
        let strict = try await sandbox.startPlugin("strict", implements: ["authz"], routes: Self.authz(allow: false, message: "no containers today"))
        let never = try await sandbox.startPlugin("never", implements: ["authz"], routes: Self.authz(allow: true))

        let verdict = try await sandbox.child().authorize(request)

        #expect(verdict == AuthorizationVerdict(allowed: false, plugin: "strict", message: "no containers today"))
        let asked = try #require(open.received.last)
        #expect(asked.method == "AuthZPlugin.AuthZReq")
        #expect(
            asked.body == [
                "RequestBody": .string(Data(#"{"Image":"nginx"}"#.utf8).base64EncodedString()),
                "RequestHeaders": ["Content-Type": "application/json"],
                "RequestMethod": "POST", "RequestURI": "/v1.50/containers/create?name=web", "User": "", "UserAuthNMethod": "",
            ])
        #expect(strict.received.count == 2)
        #expect(never.received.isEmpty)
        for plugin in [open, strict, never] { await plugin.stop() }
    }

    @Test func failuresDeny() async throws {
        let sandbox = try PluginsSandbox(authorizationPlugins: ["broken"])
        defer { sandbox.remove() }
        let child = try sandbox.child()
        let unreachable = try await child.authorize(request)
        #expect(unreachable == AuthorizationVerdict(allowed: false, plugin: "broken", message: "plugin broken not found"))

        let broken = try await sandbox.startPlugin("broken", implements: ["authz"], routes: ["AuthZPlugin.AuthZReq": { _ in .json(["Allow": true, "Err": "policy file unreadable"]) }])
        #expect(try await child.authorize(request) == AuthorizationVerdict(allowed: false, plugin: "broken", message: "policy file unreadable"))
        await broken.stop()
    }

    @Test func followsTheConfigurationInForce() async throws {
        let sandbox = try PluginsSandbox()
        defer { sandbox.remove() }
        let strict = try await sandbox.startPlugin("strict", implements: ["authz"], routes: Self.authz(allow: false, message: "denied"))
        let child = try sandbox.child()
        #expect(try await child.authorize(request).allowed)

        var reloaded = sandbox.configStore.current
        reloaded.authorizationPlugins = ["strict"]
        sandbox.configStore.replace(with: reloaded)

        #expect(try await child.authorize(request).plugin == "strict")
        #expect(try await child.inventory().authorization == ["strict"])
        await strict.stop()
    }

    @Test func asksAboutResponses() async throws {
        let sandbox = try PluginsSandbox(authorizationPlugins: ["audit"])
        defer { sandbox.remove() }
        let audit = try await sandbox.startPlugin("audit", implements: ["authz"], routes: Self.authz(allow: true))
        let response = AuthorizationResponse(statusCode: 201, headers: ["Content-Type": "application/json"], body: Data(#"{"Id":"abc"}"#.utf8))

        #expect(try await sandbox.child().authorizeResponse(request, response) == .allowed)

        let asked = try #require(audit.received.last)
        #expect(asked.method == "AuthZPlugin.AuthZRes")
        #expect(asked.body["ResponseStatusCode"] == 201)
        #expect(asked.body["ResponseBody"] == .string(Data(#"{"Id":"abc"}"#.utf8).base64EncodedString()))
        #expect(asked.body["ResponseHeaders"] == ["Content-Type": "application/json"])
        #expect(asked.body["RequestURI"] == "/v1.50/containers/create?name=web")

        let streamed = AuthorizationResponse(statusCode: 200, headers: [:], body: nil)
        _ = try await sandbox.child().authorizeResponse(AuthorizationRequest(method: "GET", uri: "/events", headers: [:], body: nil), streamed)
        let bodiless = try #require(audit.received.last)
        #expect(bodiless.body["ResponseBody"] == nil)
        #expect(bodiless.body["RequestBody"] == nil)
        await audit.stop()
    }
}
