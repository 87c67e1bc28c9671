import NIOCore
import NIOPosix
import Testing

@testable import Networks

/// The resolver on real UDP sockets on loopback. Upstream nameservers are resolvers too, or silent sockets.
@Suite struct EmbeddedResolverTests {
    @Test func answersQueriesOnItsSocket() async throws {
        try await withResolver { lookup in
            #expect(lookup.listenAddress == "127.0.0.1" && lookup.sourceAddress == "127.0.0.1")
            return lookup.name == "web" ? .addresses(["172.18.0.2"]) : .notFound
        } _: { _, port in
            let reply = try #require(try await ask(try queryBytes("web", .a, id: 41), port: port))
            #expect(reply.id == 41 && reply.responseCode == .noError)
            #expect(reply.answers.map(\.data) == [[172, 18, 0, 2]] && reply.answers.first?.ttl == 600)
            #expect(try await ask(try queryBytes("nothing", .a), port: port)?.responseCode == .nameError)
        }
    }

    @Test func relaysTheUpstreamReply() async throws {
        try await withResolver { _ in .addresses(["198.51.100.7"]) } _: { _, upstreamPort in
            try await withResolver { _ in .forward(["127.0.0.1:\(upstreamPort)"]) } _: { _, port in
                let reply = try #require(try await ask(try queryBytes("example.com", .a, id: 42), port: port))
                #expect(reply.id == 42 && reply.responseCode == .noError)
                #expect(reply.answers.map(\.data) == [[198, 51, 100, 7]])
            }
        }
    }

    @Test func triesTheNextUpstreamWhenOneIsSilent() async throws {
        let silent = try await SilentUpstream()
        try await withResolver { _ in .addresses(["198.51.100.7"]) } _: { _, upstreamPort in
            try await withResolver(upstreamTimeout: .seconds(4)) { _ in
                .forward([silent.address, "127.0.0.1:\(upstreamPort)"])
            } _: { _, port in
                let reply = try #require(try await ask(try queryBytes("example.com", .a), port: port))
                #expect(reply.answers.map(\.data) == [[198, 51, 100, 7]])
            }
        }
        #expect(await silent.close() == 1)
    }

    @Test func answersServerFailureWhenNoUpstreamReplies() async throws {
        let silent = try await SilentUpstream()
        try await withResolver(upstreamTimeout: .milliseconds(100)) { _ in .forward([silent.address]) } _: { _, port in
            let reply = try #require(try await ask(try queryBytes("example.com", .a, id: 43), port: port))
            #expect(reply.id == 43 && reply.responseCode == .serverFailure)
            #expect(reply.questions.map(\.name.description) == ["example.com"])
        }
        await silent.close()
    }

    @Test func aSlowUpstreamDelaysOnlyItsOwnQuery() async throws {
        let upstreamAsked = Signal()
        let upstreamMayAnswer = Signal()
        defer { upstreamMayAnswer.fire() }
        try await withResolver { _ in
            upstreamAsked.fire()
            await upstreamMayAnswer.wait()
            return .addresses(["198.51.100.7"])
        } _: { _, upstreamPort in
            try await withResolver(upstreamTimeout: .seconds(30)) { lookup in
                lookup.name == "web" ? .addresses(["172.18.0.2"]) : .forward(["127.0.0.1:\(upstreamPort)"])
            } _: { _, port in
                async let forwarded = ask(try queryBytes("example.com", .a, id: 1), port: port, timeout: .seconds(30))
                await upstreamAsked.wait()
                let local = try #require(try await ask(try queryBytes("web", .a, id: 2), port: port))
                #expect(local.answers.map(\.data) == [[172, 18, 0, 2]])
                upstreamMayAnswer.fire()
                #expect(try await forwarded?.answers.map(\.data) == [[198, 51, 100, 7]])
            }
        }
    }

    @Test func listeningAgainOnAnAddressKeepsItsSocket() async throws {
        try await withResolver { _ in .notFound } _: { resolver, port in
            let again = try await resolver.listen(on: "127.0.0.1", port: 0)
            #expect(again == port)
        }
    }

    @Test func stopListeningClosesTheSocket() async throws {
        try await withResolver { _ in .notFound } _: { resolver, port in
            await resolver.stopListening(on: "127.0.0.1")
            // Binding the port without SO_REUSEADDR succeeds only once the resolver's socket is closed.
            let channel = try await DatagramBootstrap(group: MultiThreadedEventLoopGroup.singleton).bind(host: "127.0.0.1", port: port).get()
            try await channel.close()
        }
    }

    /// Documentation addresses (RFC 5737, RFC 3849), on no interface here: IP_FREEBIND lets the socket bind
    /// them, for either family. Nothing is sent.
    @Test(arguments: ["192.0.2.1", "2001:db8::1"])
    func bindsAnAddressNoInterfaceHasYet(_ address: String) async throws {
        let resolver = EmbeddedResolver(logger: dnsTestLogger) { _ in .notFound }
        let port = try await resolver.listen(on: address, port: 0)
        #expect(port > 0)
        await resolver.shutdown()
    }
}
