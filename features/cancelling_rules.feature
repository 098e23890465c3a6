@rules @destructive
Feature: What cancelling means
  The guide's answers: TikTok stops charging from the moment you cancel; charges already incurred
  are not refunded; a cancelled promotion cannot be restarted, only a new one created; the views,
  likes, comments and shares gained stay on the video.

  Background:
    Given I open the TikTok app logged in as the account that started the promotion

  @critical
  Scenario: Charges already incurred stay and no refund appears
    When I go to my active promotions
    And I select the promotion "Summer haul try-on"
    And I note what it has spent so far
    And I tap Cancel to stop the promotion
    Then the confirmation says charges already incurred are not refunded
    When I confirm the cancellation
    Then the app shows the promotion as cancelled
    And the amount spent is what it was before cancelling

  @sim-only @critical
  Scenario: Monitor your budget after cancelling: no further charges
    When I cancel the promotion "Summer haul try-on"
    And 2 days pass
    Then the amount spent is still what it was when I cancelled
    And the app's ledger shows no charge for it after the cancel
    And the app's ledger shows no refund for it
    And the app's ledger shows the other active promotions kept spending

  @normal
  Scenario: A cancelled promotion cannot be restarted, only a new one created
    When I cancel the promotion "Latte art in 30 seconds"
    Then the promotion offers no way to restart it
    And it offers to create a new promotion instead
    When I create a new promotion for its video
    Then a new promotion is set up for the same video

  @normal
  Scenario: Views and interactions gained stay after cancelling
    When I go to my active promotions
    And I select the promotion "Summer haul try-on"
    And I note its views, likes, comments and shares
    And I tap Cancel to stop the promotion
    And I confirm the cancellation
    Then its views, likes, comments and shares are still there

  @sim-only @minor
  Scenario: Views and interactions are still there days after cancelling
    When I go to my active promotions
    And I select the promotion "Summer haul try-on"
    And I note its views, likes, comments and shares
    And I tap Cancel to stop the promotion
    And I confirm the cancellation
    And 3 days pass
    Then its views, likes, comments and shares are still there
