// swift-tools-version:6.0
// Measures Partner's Swift symbol scanner (Sources/Retrieval/SwiftLexer.swift and
// SwiftSymbolScanner.swift, compiled here through symlinks) against SwiftSyntax's parser.
// A separate package so that the main build and `make test` never pay for swift-syntax.
//
//     cd bench/SwiftSymbolAccuracy && swift run -c release swift-symbol-accuracy DIR...
import PackageDescription

let package = Package(
    name: "SwiftSymbolAccuracy",
    platforms: [.macOS(.v13)],
    dependencies: [
        .package(url: "https://github.com/swiftlang/swift-syntax", exact: "600.0.1"),
    ],
    targets: [
        .executableTarget(
            name: "swift-symbol-accuracy",
            dependencies: [
                .product(name: "SwiftSyntax", package: "swift-syntax"),
                .product(name: "SwiftParser", package: "swift-syntax"),
            ],
            path: "Sources/swift-symbol-accuracy"
        ),
    ],
    swiftLanguageModes: [.v6]
)
