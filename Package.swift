// swift-tools-version:6.0
// Partner: a private, self-hosted coding agent for Linux. Linux only (namespaces, seccomp,
// Landlock, /proc), so no `platforms:` list: SwiftPM's platform minimums name Apple systems.
// The layers and which way they depend are described in docs/architecture.md;
// every dependency here points down that list.
import PackageDescription

let package = Package(
    name: "Partner",
    products: [
        .executable(name: "partner", targets: ["partner"]),
        .executable(name: "partner-sandbox", targets: ["partner-sandbox"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
    ],
    targets: [
        // MARK: C at the edges: each system library is imported by exactly one Swift module.
        .systemLibrary(name: "CSeccomp", path: "Sources/CSeccomp", pkgConfig: "libseccomp",
                       providers: [.apt(["libseccomp-dev"])]),
        .systemLibrary(name: "CGit2", path: "Sources/CGit2", pkgConfig: "libgit2",
                       providers: [.apt(["libgit2-dev"])]),
        .systemLibrary(name: "CCurl", path: "Sources/CCurl", pkgConfig: "libcurl",
                       providers: [.apt(["libcurl4-openssl-dev"])]),
        .systemLibrary(name: "CSQLite", path: "Sources/CSQLite", pkgConfig: "sqlite3",
                       providers: [.apt(["libsqlite3-dev"])]),
        // libpq, for the central audit store (issue 15). Chosen over PostgresNIO: the C client is
        // one Debian package that builds in no time, where PostgresNIO would add swift-nio and its
        // friends (2.5–4.5 minutes more of every clean build in CI on this machine).
        .systemLibrary(name: "CPostgres", path: "Sources/CPostgres", pkgConfig: "libpq",
                       providers: [.apt(["libpq-dev"])]),
        // Our own small C: syscalls Swift cannot call safely (fork-side probes, W* macros).
        .target(name: "CPartnerShims", path: "Sources/CPartnerShims"),

        // The sandbox launcher: plain, single-threaded C; no Swift runs inside a worker.
        .executableTarget(
            name: "partner-sandbox",
            dependencies: ["CSeccomp"],
            path: "sandbox",
            exclude: ["README.md", "tests"],
            cSettings: [.unsafeFlags(["-Wall", "-Wextra", "-Werror=implicit-function-declaration"])],
            // Linked statically: the Swift driver would otherwise make every worker load
            // libswiftCore and libstdc++ dynamically, which costs milliseconds per spawn.
            linkerSettings: [.unsafeFlags(["-static-executable"])]
        ),

        // MARK: Layers, lowest first. Each layer's targets sit in its own block so that
        // work on different layers merges cleanly.
        .target(name: "PartnerCore"),

        // PartnerSystem: what every layer shares about the host: finding a helper program
        // (ExecutableLookup), starting one with an allowlisted environment (HelperProcess), the
        // read/write loops (DescriptorIO) and EINTR.
        .target(name: "PartnerSystem", dependencies: ["CPartnerShims"]),
        .testTarget(name: "PartnerSystemTests", dependencies: ["PartnerSystem"]),

        // PartnerTOML (issue 4): our own TOML 1.0 parser that keeps every value's file:line:column.
        .target(name: "PartnerTOML", dependencies: ["PartnerCore"]),
        .testTarget(name: "PartnerTOMLTests", dependencies: ["PartnerTOML", "PartnerCore"]),

        .target(name: "Storage", dependencies: ["CSQLite", "PartnerCore"]),

        // Policy (issue 4): policy files, the shell parser, command rules, layering, decisions.
        .target(name: "Policy", dependencies: ["PartnerCore", "PartnerTOML"]),
        .testTarget(name: "PolicyTests", dependencies: ["Policy", "PartnerTOML", "PartnerCore"],
                    resources: [.copy("Fixtures")]),

        .target(name: "Audit", dependencies: [
            "PartnerCore", "Storage",
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        .testTarget(name: "AuditTests", dependencies: [
            "Audit", "PartnerCore", "Storage",
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "Logging", package: "swift-log"),
        ]),

        // AuditStore (issue 15): the central PostgreSQL store sessions are shipped to; the only
        // importer of CPostgres.
        .target(name: "AuditStore", dependencies: [
            "PartnerCore", "PartnerSystem", "Audit", "CPostgres",
            .product(name: "Logging", package: "swift-log"),
        ]),
        .testTarget(name: "AuditStoreTests", dependencies: [
            "AuditStore", "Audit", "PartnerCore", "PostgresServer",
        ]),

        .target(name: "Supervisor", dependencies: [
            "PartnerCore", "PartnerSystem", "CSeccomp", "CPartnerShims",
            .product(name: "Logging", package: "swift-log"),
        ]),

        .target(name: "Git", dependencies: [
            "PartnerCore", "PartnerSystem", "CGit2",
            .product(name: "Logging", package: "swift-log"),
        ]),

        .target(name: "Models", dependencies: [
            "PartnerCore", "PartnerTOML", "CCurl",
            .product(name: "Logging", package: "swift-log"),
        ]),

        .target(name: "Retrieval", dependencies: [
            "PartnerCore", "PartnerSystem", "Storage", "Git", "CPartnerShims",
            .product(name: "Logging", package: "swift-log"),
        ]),
        .testTarget(name: "RetrievalTests", dependencies: ["Retrieval", "Storage", "Git"]),

        // Tools (issue 6)
        .target(name: "Tools", dependencies: [
            "PartnerCore", "PartnerSystem", "Git", "Audit", "AuditStore", "Policy", "Supervisor", "Retrieval",
            "CPartnerShims",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Crypto", package: "swift-crypto"),
        ]),
        .testTarget(name: "GitTests", dependencies: ["Git"]),
        .testTarget(name: "ToolsTests", dependencies: ["Tools", "Git", "Audit", "Policy", "Supervisor", "PartnerCore", "PartnerSystem"]),

        // Agent: the loop behind `partner run` and `partner chat`, and replay of recorded sessions.
        .target(name: "Agent", dependencies: [
            "PartnerCore", "PartnerTOML", "Tools", "Models", "Retrieval", "Audit", "Policy", "Git",
            .product(name: "Logging", package: "swift-log"),
        ]),
        .testTarget(name: "AgentTests", dependencies: [
            "Agent", "Tools", "Models", "Retrieval", "Audit", "Policy", "Git", "PartnerCore", "ScriptedModelServer",
        ]),

        // AgentBenchmark: `partner bench agent`, Partner and Aider on the same real local model
        // (docs/benchmarks.md). It drives both as programs, so it needs nothing above PartnerCore
        // and PartnerSystem.
        .target(name: "AgentBenchmark", dependencies: [
            "PartnerCore", "PartnerSystem",
            .product(name: "Logging", package: "swift-log"),
        ]),
        .testTarget(name: "AgentBenchmarkTests", dependencies: ["AgentBenchmark", "PartnerCore"]),

        // Benchmarks: the measurements behind `partner bench sandbox|secrets|audit|grep|index`
        // (docs/benchmarks.md). They time the layers below side by side with their peers (plain
        // spawns, bwrap, plain SQLite, ripgrep), so they sit beside Agent, above Tools.
        .target(name: "Benchmarks", dependencies: [
            "PartnerCore", "PartnerSystem", "Storage", "Audit", "Policy", "Supervisor", "Retrieval", "Tools",
        ]),

        .executableTarget(name: "partner", dependencies: [
            "PartnerCore", "PartnerSystem", "Storage", "Supervisor", "Git", "Models", "Audit", "AuditStore", "Retrieval", "Policy",
            "Tools", "Agent", "AgentBenchmark", "Benchmarks",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
        ]),

        // MARK: Test support and tests: one test target per module.

        // `partner-audit-writer`: records synthetic events and says when each is committed, so that
        // audit tests can kill a real writer at any moment. Built with the tests, not shipped.
        .executableTarget(name: "partner-audit-writer", dependencies: [
            "Audit", "PartnerCore",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ], path: "Tests/Support/AuditWriter"),

        // A real HTTP server on 127.0.0.1 that plays a model, for Models, Retrieval and Agent tests.
        .target(name: "ScriptedModelServer", dependencies: ["PartnerCore", "CPartnerShims"], path: "Tests/Support/ScriptedModelServer"),

        // A throwaway PostgreSQL server (initdb + pg_ctl in a temporary directory, Unix socket
        // only), for the audit store's tests. No mock: Debian's postgresql package.
        .target(name: "PostgresServer", dependencies: ["PartnerSystem"], path: "Tests/Support/PostgresServer"),

        .testTarget(name: "ModelsTests", dependencies: [
            "Models", "ScriptedModelServer", "PartnerCore", "Audit",
            .product(name: "Logging", package: "swift-log"),
        ]),

        .testTarget(name: "PartnerCoreTests", dependencies: ["PartnerCore"]),

        .testTarget(name: "StorageTests", dependencies: ["Storage"]),

        .testTarget(name: "SupervisorTests", dependencies: ["Supervisor"]),

        .testTarget(name: "PartnerCLITests", dependencies: [
            "PartnerCore", "ScriptedModelServer", "Audit", "AuditStore", "CPartnerShims", "PostgresServer",
        ]),
    ],
    swiftLanguageModes: [.v6]
)
