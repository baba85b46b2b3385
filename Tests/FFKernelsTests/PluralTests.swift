import FFKernels
import Testing

@Suite struct PluralTests {
  @Test(arguments: [(0, "0 layers"), (1, "1 layer"), (2, "2 layers"), (-1, "-1 layer"), (350, "350 layers")])
  func counts(n: Int, expected: String) {
    #expect(Plural.count(n, "layer") == expected)
  }

  @Test func irregularPluralsAndFormattedNumbers() {
    #expect(Plural.count(1, "batch", plural: "batches") == "1 batch")
    #expect(Plural.count(3, "batch", plural: "batches") == "3 batches")
    #expect(Plural.count(354_100, "parameter", number: "354,100") == "354,100 parameters")
    #expect(Plural.noun(1, "cell") == "cell")
    #expect(Plural.noun(7, "cell") == "cells")
  }

  @Test("digits are grouped by thousands, signs and the extremes included")
  func grouping() {
    #expect(Plural.grouped(0) == "0")
    #expect(Plural.grouped(999) == "999")
    #expect(Plural.grouped(1000) == "1,000")
    #expect(Plural.grouped(1_386_700) == "1,386,700")
    #expect(Plural.grouped(-25_000) == "-25,000")
    #expect(Plural.grouped(Int.min) == "-9,223,372,036,854,775,808")
  }
}
