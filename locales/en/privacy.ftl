# The personal-data notice and what follows from it (en). Arguments arrive HTML-escaped.

## Step 1: consent

step-consent =
    🔒 <b>Your data</b>

    <b>With your consent the bot keeps:</b> your Telegram ID (not your phone number), your app's language, your first and last name, your @username (if you have one — so your teacher doesn't confuse you with a namesake), school and class, the guide's steps with dates, your requests to the teacher and the decision.
    <b>Why:</b> your teacher sees your request and confirms it, and you continue from the same place.
    <b>Who processes it:</b> { $operator ->
        [none] the educational organisation (school) you are joining.
       *[other] { $operator }.
    }
    <b>How long:</b> until { $until } — the end of the school year plus { $retention_days } days; then the data is anonymised.
    <b>How to delete:</b> the /forget command, at any time.

    <b>Without consent</b> the bot keeps nothing personal and sends no request to your teacher, but it remembers your Telegram ID, your app's language and the step you're at (with the device and your Gosuslugi answer) so you can continue from it. /forget deletes that too.
consent-declined =
    OK, no personal data is saved: the bot only remembers your step so you can continue from it. All the instructions are available; please tell your teacher about your class request yourself.

