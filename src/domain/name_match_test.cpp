#include "domain/name_match.hpp"

#include <gtest/gtest.h>

using b2w::domain::name_tokens;
using b2w::domain::names_match;
using Words = std::vector<std::string>;

TEST(NameTokens, UpperCaseWordsWithoutPunctuationOrExtraSpaces) {
  EXPECT_EQ(name_tokens("Ada  Chioma   Obi"), (Words{"ADA", "CHIOMA", "OBI"}));
  EXPECT_EQ(name_tokens("  OBI, ADA. "), (Words{"OBI", "ADA"}));
  EXPECT_EQ(name_tokens("\tobi\nada\r"), (Words{"OBI", "ADA"}));
  EXPECT_EQ(name_tokens("Ade-Bayo/Ogun_Lesi"), (Words{"ADE", "BAYO", "OGUN", "LESI"}));
  EXPECT_EQ(name_tokens("O'Neil St.John"), (Words{"ONEIL", "STJOHN"}));
  EXPECT_EQ(name_tokens("O\u2019Neil"), (Words{"ONEIL"}));
  EXPECT_EQ(name_tokens(""), Words{});
  EXPECT_EQ(name_tokens(" - , . "), Words{});
}

TEST(NameTokens, InitialsTitlesAndRepeatsLeftOut) {
  EXPECT_EQ(name_tokens("OBI ADA C"), (Words{"OBI", "ADA"}));
  EXPECT_EQ(name_tokens("Mr. Tunde Bakare"), (Words{"TUNDE", "BAKARE"}));
  EXPECT_EQ(name_tokens("CHIEF (DR) MRS FOLAKE ALHAJA ADEWALE"), (Words{"FOLAKE", "ADEWALE"}));
  EXPECT_EQ(name_tokens("Musa Musa Ibrahim"), (Words{"MUSA", "IBRAHIM"}));
  EXPECT_EQ(name_tokens("J. K."), Words{});
}

TEST(NameTokens, DiacriticsFoldToTheBaseLetter) {
  EXPECT_EQ(name_tokens("Adébáyọ̀ Ògúnlẹ̀sì"), (Words{"ADEBAYO", "OGUNLESI"}));  // precomposed and combining marks
  EXPECT_EQ(name_tokens("Ṣọlá Ńnamdi"), (Words{"SOLA", "NNAMDI"}));
  EXPECT_EQ(name_tokens("ÀÁÂÃÄÅ ÇÈÉÊË ÌÍÎÏ ÑÒÓÔÕÖØ ÙÚÛÜÝ àáâãäå çèéêë ìíîï ñòóôõöø ùúûüýÿ"),
            (Words{"AAAAAA", "CEEEE", "IIII", "NOOOOOO", "UUUUY", "UUUUYY"}));  // lower case folds to the same words
  EXPECT_EQ(name_tokens("Ægbe × Ola"), (Words{"GBE", "OLA"}));                  // Latin-1 signs and ligatures separate
}

TEST(NameTokens, OtherScriptsKeptAndInvalidBytesSeparate) {
  EXPECT_EQ(name_tokens("Ωmega Ade"), (Words{"\u03A9MEGA", "ADE"}));
  EXPECT_EQ(name_tokens(std::string("ADA\xFFOBI")), (Words{"ADA", "OBI"}));
  EXPECT_EQ(name_tokens(std::string("ADA\xC3")), (Words{"ADA"}));  // a truncated sequence
}

TEST(NamesMatch, NigerianBankOrderSurnameFirst) {
  EXPECT_TRUE(names_match("Ada Chioma Obi", "OBI ADA CHIOMA"));
  EXPECT_TRUE(names_match("Ada Obi", "OBI ADA CHIOMA"));  // the bank also has a middle name
  EXPECT_TRUE(names_match("Ada Chioma Obi", "OBI ADA"));  // the player gave a middle name the bank lacks
  EXPECT_TRUE(names_match("ada obi", "Obi, Ada"));
  EXPECT_TRUE(names_match("Tunde Bakare", "MR BAKARE TUNDE O."));
  EXPECT_TRUE(names_match("Adébáyọ̀ Ògúnlẹ̀sì", "OGUNLESI ADEBAYO"));
  EXPECT_TRUE(names_match("Ifeoma Okafor-Eze", "OKAFOR EZE IFEOMA"));
  EXPECT_TRUE(names_match("Ifeoma Okafor-Eze", "IFEOMA OKAFOR"));
}

TEST(NamesMatch, TwoWordsInCommonWhenThePlayerHasTwoOrMore) {
  EXPECT_FALSE(names_match("Ada Chioma Obi", "OBI EMEKA"));  // one word in common: a relative's account
  EXPECT_FALSE(names_match("Ada Obi", "ADA NWOSU"));
  EXPECT_FALSE(names_match("Ada Obi", "IBRAHIM MUSA"));
  EXPECT_FALSE(names_match("Ada Obi", "OBIADA"));  // words are whole
  EXPECT_FALSE(names_match("Ada Obi", "ADAOBI NWOSU"));
  EXPECT_FALSE(names_match("Ada Obi", "A OBI"));  // an initial proves nothing
  EXPECT_FALSE(names_match("Ada Obi", ""));
}

TEST(NamesMatch, OneWordNamesNeedThatWord) {
  EXPECT_TRUE(names_match("Madonna", "MADONNA CICCONE"));
  EXPECT_FALSE(names_match("Madonna", "CICCONE LOUISE"));
  EXPECT_TRUE(names_match("Musa Musa", "MUSA IBRAHIM"));  // the same word twice is one word
  EXPECT_TRUE(names_match("Dr. Musa", "MUSA IBRAHIM"));
}

TEST(NamesMatch, NoUsableNameOnRecordNeverMatches) {
  EXPECT_FALSE(names_match("", "OBI ADA"));
  EXPECT_FALSE(names_match("   ", "OBI ADA"));
  EXPECT_FALSE(names_match("A. B.", "A B"));
  EXPECT_FALSE(names_match("Mr Mrs", "MR MRS"));
}

TEST(NamesMatch, SymmetricInCaseAndPunctuation) {
  for (const char* account : {"OBI ADA", "obi ada", "Obi-Ada", "  OBI   ADA  ", "OBI.ADA" /* one word: OBIADA */}) {
    const bool expected = std::string_view(account) != "OBI.ADA";
    EXPECT_EQ(names_match("Ada Obi", account), expected) << account;
  }
}
