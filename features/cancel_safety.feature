@safety
Feature: Cancel only what is provably right
  Before Cancel, the account that started the promotion and the chosen promotion must be on
  screen; otherwise nothing is tapped and the reason is said in one sentence.

  @critical
  Scenario: A different account is logged in: the cancel is refused and nothing changes
    Given the promotions were started by the account "other.brand"
    And I open the TikTok app
    When I try to cancel the promotion "Summer haul try-on"
    Then the cancel is refused because a different account is logged in
    And the promotion "Summer haul try-on" is still listed as active

  @sim-only @critical
  Scenario: Nobody is logged in
    Given the app shows the world "logged-out"
    And I open the TikTok app
    When I try to cancel the promotion "Summer haul try-on"
    Then the cancel fails saying that nobody is logged in

  @sim-only @normal
  Scenario: No promotion is active: nothing to cancel
    Given the app shows the world "none-active"
    And I open the TikTok app logged in as the account that started the promotion
    When I try to cancel the promotion "Summer haul try-on"
    Then I am told there is nothing to cancel

  @normal
  Scenario: An unknown title fails and names the active promotions
    Given I open the TikTok app logged in as the account that started the promotion
    When I try to cancel the promotion "Winter sale"
    Then the cancel fails and names the active promotions:
      | title                   |
      | Summer haul try-on      |
      | Latte art in 30 seconds |

  @sim-only @critical
  Scenario: Two promotions share a title: refused as ambiguous
    Given the app shows the world "duplicate-titles"
    And I open the TikTok app logged in as the account that started the promotion
    When I try to cancel the promotion "Morning routine"
    Then the cancel is refused as ambiguous
    And the app's ledger shows every promotion called "Morning routine" still active

  @sim-only @critical
  Scenario Outline: On the studio release the confirmation's "<keep>" keeps the promotion running
    The guide says "tap Cancel and confirm"; on the studio release the confirmation's "Cancel" is the
    answer that keeps the promotion. A harness that taps it because of the guide's word stops nothing,
    and reports nothing stopped.
    Given the app shows the world "<world>"
    And I open the TikTok app logged in as the account that started the promotion
    When I go to my active promotions
    And I select the promotion "Summer haul try-on"
    And I tap Cancel to stop the promotion
    Then I am asked to confirm the cancellation
    When I answer the confirmation with "<keep>", the guide's word for cancelling
    Then the cancel is not reported done: the app still shows it "<active>"
    And the promotion is still active
    And the app's ledger shows every promotion called "Summer haul try-on" still active

    Examples:
      | world     | keep    | active |
      | studio    | Cancel  | Active |
      | studio-fr | Annuler | Active |
