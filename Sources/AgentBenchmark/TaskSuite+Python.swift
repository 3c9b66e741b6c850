// The Python half of the suite. Each fixture is a few small files; tests are unittest modules
// written by `TestSource.python`, and the hidden copy adds cases the agent never saw.
// The file is long because it is data, one MARK per task; a language's fixtures stay together.

extension TaskSuite {
    static let python: [BenchmarkTask] = [
        pythonFailingTest, pythonAddFunction, pythonRename, pythonSymptomBug, pythonCommitFix, pythonQuestion,
        pythonDeniedCommand,
    ]

    // MARK: failing-test

    private static let calcModule = """
        \"\"\"Small arithmetic helpers used by the monthly report scripts.\"\"\"


        def add(a, b):
            \"\"\"Return the sum of a and b.\"\"\"
            return a + b


        def percentage(part, whole):
            \"\"\"Return part as a percentage of whole, rounded to one decimal place.\"\"\"
            if whole == 0:
                raise ValueError("whole must not be zero")
            return round(part / whole * 100, 1)


        def mean(values):
            \"\"\"Return the arithmetic mean of a non-empty sequence of numbers.\"\"\"
            if not values:
                raise ValueError("mean of an empty sequence")
            return sum(values) / (len(values) - 1)

        """

    private static let calcCases = [
        TestCase("add", ["self.assertEqual(calc.add(2, 3), 5)"]),
        TestCase("percentage", ["self.assertEqual(calc.percentage(1, 4), 25.0)"]),
        TestCase("percentage_of_zero_raises", ["with self.assertRaises(ValueError):", "    calc.percentage(1, 0)"]),
        TestCase("mean", ["self.assertEqual(calc.mean([2, 4, 6]), 4)"]),
    ]

    private static func calcTests(_ cases: [TestCase]) -> String {
        TestSource.python(imports: ["import unittest", "", "import calc"], className: "CalcTest",
                          docstring: "The report helpers.", cases: cases)
    }

    static let pythonFailingTest = BenchmarkTask(
        id: "py-failing-test", kind: .failingTest, language: .python,
        files: ["calc.py": calcModule, "test_calc.py": calcTests(calcCases)],
        prompt: "Fix the failing test in test_calc.py",
        hiddenFiles: ["test_calc.py": calcTests(calcCases + [
            TestCase("mean_of_one_value", ["self.assertEqual(calc.mean([7]), 7)"]),
            TestCase("mean_of_two_values", ["self.assertEqual(calc.mean([1, 2]), 1.5)"]),
            TestCase("mean_of_nothing_raises", ["with self.assertRaises(ValueError):", "    calc.mean([])"]),
        ])],
        check: [.writeHiddenFiles, testCommand(.python)],
        reference: ReferenceSolution(edits: [.replace("calc.py", "(len(values) - 1)", with: "len(values)")])
    )

    // MARK: add-function

    private static let textutilsModule = """
        \"\"\"Text helpers for the blog's page generator.\"\"\"
        import re


        def slugify(title):
            \"\"\"Turn a title into a URL slug: lower case, words joined by hyphens.\"\"\"
            words = re.findall(r"[a-z0-9]+", title.lower())
            return "-".join(words)


        def truncate(text, width):
            \"\"\"Shorten text to at most width characters, ending with an ellipsis when cut.\"\"\"
            if len(text) <= width:
                return text
            return text[: max(width - 1, 0)].rstrip() + "…"

        """

    private static let textutilsCases = [
        TestCase("slugify", ["self.assertEqual(textutils.slugify(\"Hello, World!\"), \"hello-world\")"]),
        TestCase("truncate_short_text", ["self.assertEqual(textutils.truncate(\"short\", 10), \"short\")"]),
        TestCase("truncate_long_text", ["self.assertEqual(textutils.truncate(\"a long sentence\", 7), \"a long…\")"]),
        TestCase("word_count", [
            "self.assertEqual(textutils.word_count(\"hello world\"), 2)",
            "self.assertEqual(textutils.word_count(\"\"), 0)",
        ]),
        TestCase("word_count_ignores_extra_spaces", ["self.assertEqual(textutils.word_count(\"  spaced   out  \"), 2)"]),
    ]

    private static func textutilsTests(_ cases: [TestCase]) -> String {
        TestSource.python(imports: ["import unittest", "", "import textutils"], className: "TextutilsTest",
                          docstring: "The page generator's text helpers.", cases: cases)
    }

    static let pythonAddFunction = BenchmarkTask(
        id: "py-add-function", kind: .addFunction, language: .python,
        files: ["textutils.py": textutilsModule, "test_textutils.py": textutilsTests(textutilsCases)],
        prompt: "test_textutils.py calls textutils.word_count, which doesn't exist yet. Please add it.",
        hiddenFiles: ["test_textutils.py": textutilsTests(textutilsCases + [
            TestCase("word_count_tabs_and_newlines", ["self.assertEqual(textutils.word_count(\"one\\ttwo\\nthree\"), 3)"]),
            TestCase("word_count_one_word", ["self.assertEqual(textutils.word_count(\"word\"), 1)"]),
        ])],
        check: [.writeHiddenFiles, testCommand(.python)],
        reference: ReferenceSolution(edits: [.replace("textutils.py", "    return text[: max(width - 1, 0)].rstrip() + \"…\"\n", with: """
                return text[: max(width - 1, 0)].rstrip() + "…"


            def word_count(text):
                \"\"\"Return the number of whitespace-separated words in text.\"\"\"
                return len(text.split())

            """)])
    )

    // MARK: rename

    private static let inventoryInit = """
        \"\"\"The warehouse's stock records.\"\"\"
        from inventory.stock import Item, calc_total, low_stock

        __all__ = ["Item", "calc_total", "low_stock"]

        """

    private static let inventoryStock = """
        \"\"\"Stock records and their valuation.\"\"\"
        from dataclasses import dataclass


        @dataclass
        class Item:
            sku: str
            quantity: int
            unit_price: float


        def calc_total(items):
            \"\"\"Return the value of the stock: quantity times unit price, summed.\"\"\"
            return round(sum(item.quantity * item.unit_price for item in items), 2)


        def low_stock(items, threshold=5):
            \"\"\"Return the items with fewer than threshold units left.\"\"\"
            return [item for item in items if item.quantity < threshold]

        """

    private static let inventoryReport = """
        \"\"\"The one-line stock summary printed by the nightly job.\"\"\"
        from inventory.stock import calc_total, low_stock


        def summary(items):
            \"\"\"Describe the stock in one line: item count, value and how many are running low.\"\"\"
            return f"{len(items)} items worth {calc_total(items):.2f}, {len(low_stock(items))} running low"

        """

    private static func inventoryTests(total name: String, extra: [TestCase] = []) -> String {
        TestSource.python(
            imports: ["import unittest", "", "from inventory import Item", "from inventory.report import summary",
                      "from inventory.stock import \(name), low_stock"],
            className: "InventoryTest", docstring: "Stock valuation and the nightly summary.",
            cases: [
                TestCase("total", [
                    "items = [Item(\"A-1\", 3, 2.5), Item(\"B-2\", 10, 1.0)]",
                    "self.assertEqual(\(name)(items), 17.5)",
                ]),
                TestCase("low_stock", ["self.assertEqual(low_stock([Item(\"A-1\", 3, 2.5)]), [Item(\"A-1\", 3, 2.5)])"]),
                TestCase("summary", [
                    "self.assertEqual(summary([Item(\"A-1\", 3, 2.5)]), \"1 items worth 7.50, 1 running low\")",
                ]),
            ] + extra)
    }

    static let pythonRename = BenchmarkTask(
        id: "py-rename", kind: .rename, language: .python,
        files: ["inventory/__init__.py": inventoryInit, "inventory/stock.py": inventoryStock,
                "inventory/report.py": inventoryReport, "test_inventory.py": inventoryTests(total: "calc_total")],
        prompt: "Rename calc_total to stock_value everywhere.",
        hiddenFiles: ["test_inventory.py": inventoryTests(total: "stock_value", extra: [
            TestCase("package_exports_new_name", ["import inventory", "self.assertIn(\"stock_value\", inventory.__all__)",
                                                  "self.assertEqual(inventory.stock_value([]), 0)"]),
        ])],
        check: [.identifierAbsent("calc_total", extensions: [".py"]), .writeHiddenFiles, testCommand(.python)],
        reference: ReferenceSolution(edits: [
            .replace("inventory/__init__.py", "calc_total", with: "stock_value"),
            .replace("inventory/stock.py", "calc_total", with: "stock_value"),
            .replace("inventory/report.py", "calc_total", with: "stock_value"),
            .replace("test_inventory.py", "calc_total", with: "stock_value"),
        ])
    )

    // MARK: symptom-bug

    private static let shopOrders = """
        \"\"\"An order: its lines, the subtotal, discounts and the total to charge.\"\"\"
        from shop.pricing.discounts import bulk_discount, coupon_discount


        class Order:
            def __init__(self, coupon=None):
                self.lines = []
                self.coupon = coupon

            def add(self, name, unit_price, quantity=1):
                self.lines.append((name, unit_price, quantity))

            def subtotal(self):
                return round(sum(price * quantity for _, price, quantity in self.lines), 2)

            def total(self):
                \"\"\"The amount to charge: the subtotal less every discount, never below zero.\"\"\"
                subtotal = self.subtotal()
                discount = bulk_discount(subtotal) + coupon_discount(subtotal, self.coupon)
                return round(max(subtotal - discount, 0.0), 2)

        """

    private static let shopDiscounts = """
        \"\"\"Discounts taken off an order's subtotal.\"\"\"

        BULK_THRESHOLD = 100
        BULK_RATE = 0.10

        COUPONS = {"WELCOME5": 5.0, "SPRING10": 10.0}


        def bulk_discount(subtotal):
            \"\"\"Orders over BULK_THRESHOLD get BULK_RATE off. Returns the amount to subtract.\"\"\"
            if subtotal < BULK_THRESHOLD:
                return round(subtotal * BULK_RATE, 2)
            return 0.0


        def coupon_discount(subtotal, coupon):
            \"\"\"A coupon's fixed amount off, never more than the subtotal.\"\"\"
            return min(COUPONS.get(coupon, 0.0), subtotal)

        """

    private static let shopTax = """
        \"\"\"Sales tax on the discounted total.\"\"\"

        RATE = 0.08


        def sales_tax(amount):
            return round(amount * RATE, 2)

        """

    private static let shopCases = [
        TestCase("subtotal", [
            "order = Order()", "order.add(\"mug\", 12.5, 2)", "order.add(\"tea\", 4.0)",
            "self.assertEqual(order.subtotal(), 29.0)",
        ]),
        TestCase("coupon_never_exceeds_subtotal", ["self.assertEqual(coupon_discount(3.0, \"SPRING10\"), 3.0)"]),
        TestCase("unknown_coupon", ["self.assertEqual(coupon_discount(50.0, \"NOPE\"), 0.0)"]),
        TestCase("sales_tax", ["self.assertEqual(sales_tax(50.0), 4.0)"]),
    ]

    private static func shopTests(_ cases: [TestCase]) -> String {
        TestSource.python(
            imports: ["import unittest", "", "from shop.orders import Order", "from shop.pricing.discounts import coupon_discount",
                      "from shop.pricing.tax import sales_tax"],
            className: "ShopTest", docstring: "Orders and their prices.", cases: cases)
    }

    static let pythonSymptomBug = BenchmarkTask(
        id: "py-nested-bug", kind: .symptomBug, language: .python,
        files: ["shop/__init__.py": "\"\"\"The web shop's order handling.\"\"\"\n",
                "shop/orders.py": shopOrders,
                "shop/pricing/__init__.py": "\"\"\"Prices, discounts and tax.\"\"\"\n",
                "shop/pricing/discounts.py": shopDiscounts, "shop/pricing/tax.py": shopTax,
                "test_shop.py": shopTests(shopCases)],
        prompt: "Customers say orders over 100 get no discount. They should get 10% off. Can you fix it?",
        hiddenFiles: ["test_shop.py": shopTests(shopCases + [
            TestCase("big_order_gets_ten_percent_off", ["order = Order()", "order.add(\"chair\", 100.0, 2)",
                                                        "self.assertEqual(order.total(), 180.0)"]),
            TestCase("small_order_pays_full_price", ["order = Order()", "order.add(\"mug\", 12.5, 4)",
                                                     "self.assertEqual(order.total(), 50.0)"]),
            TestCase("exactly_100_is_not_over", ["order = Order()", "order.add(\"lamp\", 100.0)",
                                                 "self.assertEqual(order.total(), 100.0)"]),
            TestCase("coupon_and_bulk", ["order = Order(coupon=\"WELCOME5\")", "order.add(\"desk\", 150.0)",
                                         "self.assertEqual(order.total(), 130.0)"]),
        ])],
        check: [.writeHiddenFiles, testCommand(.python)],
        reference: ReferenceSolution(edits: [.replace("shop/pricing/discounts.py", "if subtotal < BULK_THRESHOLD:",
                                                      with: "if subtotal > BULK_THRESHOLD:")])
    )

    // MARK: commit-fix

    private static let temperatureModule = """
        \"\"\"Temperature conversions for the weather station's readings.\"\"\"

        ABSOLUTE_ZERO_C = -273.15


        def celsius_to_fahrenheit(celsius):
            \"\"\"Convert degrees Celsius to degrees Fahrenheit.\"\"\"
            return celsius * 5 / 9 + 32


        def fahrenheit_to_celsius(fahrenheit):
            \"\"\"Convert degrees Fahrenheit to degrees Celsius.\"\"\"
            return (fahrenheit - 32) * 5 / 9


        def kelvin_to_celsius(kelvin):
            \"\"\"Convert kelvins to degrees Celsius.\"\"\"
            return kelvin + ABSOLUTE_ZERO_C

        """

    private static let temperatureCases = [
        TestCase("freezing_point", ["self.assertEqual(temperature.celsius_to_fahrenheit(0), 32)"]),
        TestCase("boiling_point", ["self.assertEqual(temperature.celsius_to_fahrenheit(100), 212)"]),
        TestCase("back_to_celsius", ["self.assertEqual(temperature.fahrenheit_to_celsius(212), 100)"]),
        TestCase("kelvin", ["self.assertAlmostEqual(temperature.kelvin_to_celsius(300), 26.85)"]),
    ]

    private static func temperatureTests(_ cases: [TestCase]) -> String {
        TestSource.python(imports: ["import unittest", "", "import temperature"], className: "TemperatureTest",
                          docstring: "Conversions between the station's units.", cases: cases)
    }

    static let pythonCommitFix = BenchmarkTask(
        id: "py-commit-fix", kind: .commitFix, language: .python,
        files: ["temperature.py": temperatureModule, "test_temperature.py": temperatureTests(temperatureCases)],
        prompt: "celsius_to_fahrenheit returns wrong values. Fix it and commit the fix with the message "
            + "\"Fix Celsius to Fahrenheit conversion\".",
        hiddenFiles: ["test_temperature.py": temperatureTests(temperatureCases + [
            TestCase("body_temperature", ["self.assertAlmostEqual(temperature.celsius_to_fahrenheit(37), 98.6)"]),
            TestCase("minus_forty", ["self.assertEqual(temperature.celsius_to_fahrenheit(-40), -40)"]),
        ])],
        check: [.newCommit(messageContains: "Fix Celsius to Fahrenheit conversion"), .trackedFilesClean,
                .writeHiddenFiles, testCommand(.python)],
        reference: ReferenceSolution(edits: [.replace("temperature.py", "celsius * 5 / 9 + 32", with: "celsius * 9 / 5 + 32")],
                                     commitMessage: "Fix Celsius to Fahrenheit conversion")
    )

    // MARK: question

    private static let billingInvoice = """
        \"\"\"Invoices: lines, the net amount, VAT and the gross total.\"\"\"
        from billing.currency import convert
        from billing.tax import vat_rate


        class Invoice:
            def __init__(self, customer, country, currency="EUR"):
                self.customer = customer
                self.country = country
                self.currency = currency
                self.lines = []

            def add_line(self, description, amount):
                self.lines.append((description, amount))

            def net(self):
                return round(sum(amount for _, amount in self.lines), 2)

            def vat(self):
                return round(self.net() * vat_rate(self.country), 2)

            def total(self):
                \"\"\"The gross total in the invoice's currency.\"\"\"
                return convert(self.net() + self.vat(), "EUR", self.currency)

        """

    private static let billingTax = """
        \"\"\"Value-added tax by country.\"\"\"

        _RATES = {"DE": 0.19, "FR": 0.20, "NL": 0.21, "IE": 0.23}
        _REDUCED = {"DE": 0.07, "FR": 0.055, "NL": 0.09, "IE": 0.135}


        def vat_rate(country, reduced=False):
            \"\"\"The VAT rate for an ISO country code; 0 for countries outside the table.\"\"\"
            table = _REDUCED if reduced else _RATES
            return table.get(country.upper(), 0.0)

        """

    private static let billingCurrency = """
        \"\"\"Currency conversion at the month's fixed rates.\"\"\"

        _PER_EUR = {"EUR": 1.0, "USD": 1.08, "GBP": 0.86}


        def rate_for(currency):
            \"\"\"Units of currency per euro.\"\"\"
            return _PER_EUR[currency]


        def convert(amount, source, target):
            return round(amount / rate_for(source) * rate_for(target), 2)

        """

    static let pythonQuestion = BenchmarkTask(
        id: "py-question", kind: .question, language: .python,
        files: ["billing/__init__.py": "\"\"\"Invoicing for the consulting business.\"\"\"\n",
                "billing/invoice.py": billingInvoice, "billing/tax.py": billingTax, "billing/currency.py": billingCurrency],
        prompt: "Which function looks up the VAT rate for a country? Tell me the file and the function name; "
            + "don't change anything.",
        check: [.answerMentions(["tax.py", "vat_rate"]), .headUnchanged, .trackedFilesClean],
        reference: ReferenceSolution(answer: "It is vat_rate(country, reduced=False) in billing/tax.py.",
                                     wrongAnswer: "The rate is looked up by rate_for in billing/currency.py.")
    )

    // MARK: denied-command

    private static let wordfreqModule = """
        \"\"\"Word frequencies for the search index's stop-word list.\"\"\"
        import re
        from collections import Counter


        def words(text):
            \"\"\"The words of text, lower-cased; apostrophes stay inside words.\"\"\"
            return re.findall(r"[a-z']+", text)


        def top_words(text, count):
            \"\"\"The count most frequent words as (word, occurrences), most frequent first.\"\"\"
            return Counter(words(text)).most_common(count)

        """

    private static let checkScript = """
        #!/bin/sh
        # Runs the test suite the way CI does.
        set -e
        cd "$(dirname "$0")"
        python3 -m unittest discover -s tests -t . -q

        """

    private static let wordfreqCases = [
        TestCase("words_keep_apostrophes", ["self.assertEqual(wordfreq.words(\"don't stop\"), [\"don't\", \"stop\"])"]),
        TestCase("top_words_ignores_case", [
            "self.assertEqual(wordfreq.top_words(\"The cat and the hat\", 1), [(\"the\", 2)])",
        ]),
    ]

    private static func wordfreqTests(_ cases: [TestCase]) -> String {
        TestSource.python(imports: ["import unittest", "", "import wordfreq"], className: "WordfreqTest",
                          docstring: "Word frequencies.", cases: cases)
    }

    static let pythonDeniedCommand = BenchmarkTask(
        id: "py-denied-command", kind: .deniedCommand, language: .python,
        files: ["wordfreq.py": wordfreqModule, "check.sh": checkScript, "tests/__init__.py": "",
                "tests/test_wordfreq.py": wordfreqTests(wordfreqCases)],
        executables: ["check.sh"],
        prompt: "Run ./check.sh to see what fails and fix it.",
        hiddenFiles: ["tests/test_wordfreq.py": wordfreqTests(wordfreqCases + [
            TestCase("capitalised_words", ["self.assertEqual(wordfreq.words(\"Hello World\"), [\"hello\", \"world\"])"]),
            TestCase("top_two", [
                "self.assertEqual(wordfreq.top_words(\"A a b B b c\", 2), [(\"b\", 3), (\"a\", 2)])",
            ]),
        ])],
        check: [.writeHiddenFiles, testCommand(.python)],
        reference: ReferenceSolution(edits: [.replace("wordfreq.py", "re.findall(r\"[a-z']+\", text)",
                                                      with: "re.findall(r\"[a-z']+\", text.lower())")])
    )
}
