# The personal-data notice and what follows from it (en). Arguments arrive HTML-escaped.

## Step 1: consent

step-consent =
    🔒 <b>Your data</b>

    To pass your request on to your class teacher, the bot will save:
    • your Telegram ID (not your phone number), first name and last name;
    • your school and class;
    • which step of the guide you're on, and the dates.

    <b>Why:</b> so your teacher can see your request and approve it, and you can pick up where you left off.
    <b>How long:</b> until you delete it.
    <b>How to delete:</b> the /forget command deletes everything the bot stores about you.

    You can also go on without agreeing: you'll still read all the instructions, but the bot won't save anything about you and won't send a request to your teacher.
consent-declined =
    OK, your data is not being saved. All the instructions are available; please tell your teacher about your class request yourself.

