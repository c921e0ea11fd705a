<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="hi_IN">
<context>
    <name>SyncTexts</name>
    <message>
        <source>{n} s</source>
        <translation>{n} से.</translation>
    </message>
    <message>
        <source>{n} min</source>
        <translation>{n} मिनट</translation>
    </message>
    <message>
        <source>{h} h</source>
        <translation>{h} घंटे</translation>
    </message>
    <message>
        <source>{h} h {m} min</source>
        <translation>{h} घंटे {m} मिनट</translation>
    </message>
    <message numerus="yes">
        <source>%n day(s)</source>
        <translation>
            <numerusform>%n दिन</numerusform>
            <numerusform>%n दिन</numerusform>
        </translation>
    </message>
    <message>
        <source>just now</source>
        <translation>अभी-अभी</translation>
    </message>
    <message>
        <source>{duration} ago</source>
        <translation>{duration} पहले</translation>
    </message>
    <message>
        <source>on {datetime}</source>
        <translation>{datetime} को</translation>
    </message>
    <message>
        <source>retrying soon</source>
        <translation>जल्द फिर कोशिश होगी</translation>
    </message>
    <message>
        <source>retrying now</source>
        <translation>फिर कोशिश हो रही है</translation>
    </message>
    <message>
        <source>retrying in {duration}</source>
        <translation>{duration} में फिर कोशिश</translation>
    </message>
    <message>
        <source>Not connected to the central</source>
        <translation>केंद्रीय सर्वर से नहीं जुड़ा</translation>
    </message>
    <message>
        <source>Syncing…</source>
        <translation>सिंक हो रहा है…</translation>
    </message>
    <message>
        <source>Device revoked by the central: sync stopped</source>
        <translation>केंद्रीय सर्वर ने यह उपकरण रद्द किया: सिंक बंद</translation>
    </message>
    <message>
        <source>Offline — {retry}</source>
        <translation>ऑफ़लाइन — {retry}</translation>
    </message>
    <message>
        <source>the central refused the request</source>
        <translation>केंद्रीय सर्वर ने अनुरोध अस्वीकार किया</translation>
    </message>
    <message>
        <source>Sync error: {error} — {retry}</source>
        <translation>सिंक त्रुटि: {error} — {retry}</translation>
    </message>
    <message>
        <source>Waiting for the first sync</source>
        <translation>पहले सिंक की प्रतीक्षा</translation>
    </message>
    <message>
        <source>Synced {ago}</source>
        <translation>{ago} सिंक हुआ</translation>
    </message>
    <message>
        <source>Central: {url}</source>
        <translation>केंद्रीय सर्वर: {url}</translation>
    </message>
    <message>
        <source>Device number: {no}</source>
        <translation>उपकरण क्रमांक: {no}</translation>
    </message>
    <message>
        <source>Last complete sync: {when}</source>
        <translation>पिछला पूरा सिंक: {when}</translation>
    </message>
    <message>
        <source>Last complete sync: never</source>
        <translation>पिछला पूरा सिंक: कभी नहीं</translation>
    </message>
    <message>
        <source>Last attempt: {when}</source>
        <translation>पिछली कोशिश: {when}</translation>
    </message>
    <message>
        <source>Last error: {error}</source>
        <translation>पिछली त्रुटि: {error}</translation>
    </message>
    <message>
        <source>Receipts are still saved on this PC. Ask the supervisor to enrol the device again.</source>
        <translation>रसीदें इस कंप्यूटर पर सुरक्षित हैं। पर्यवेक्षक से उपकरण का पुनः पंजीयन कराएँ।</translation>
    </message>
    <message numerus="yes">
        <source>%n operation(s) the central could not read: call support</source>
        <translation>
            <numerusform>%n प्रविष्टि केंद्रीय सर्वर पढ़ नहीं सका: सहायता को बुलाएँ</numerusform>
            <numerusform>%n प्रविष्टियाँ केंद्रीय सर्वर पढ़ नहीं सका: सहायता को बुलाएँ</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n change(s) from the central could not be applied on this PC: call support</source>
        <translation>
            <numerusform>केंद्रीय सर्वर से आया %n बदलाव इस कंप्यूटर पर लागू नहीं हो सका: सहायता को बुलाएँ</numerusform>
            <numerusform>केंद्रीय सर्वर से आए %n बदलाव इस कंप्यूटर पर लागू नहीं हो सके: सहायता को बुलाएँ</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n day(s) whose totals differ from the central's: being sent again</source>
        <translation>
            <numerusform>%n दिन के योग केंद्रीय सर्वर से अलग हैं: फिर से भेजे जा रहे हैं</numerusform>
            <numerusform>%n दिनों के योग केंद्रीय सर्वर से अलग हैं: फिर से भेजे जा रहे हैं</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n saved on this PC only</source>
        <translation>
            <numerusform>%n केवल इस कंप्यूटर पर सहेजी गई</numerusform>
            <numerusform>%n केवल इस कंप्यूटर पर सहेजी गईं</numerusform>
        </translation>
    </message>
    <message>
        <source>All on the central</source>
        <translation>सब केंद्रीय सर्वर पर है</translation>
    </message>
    <message numerus="yes">
        <source>%n not sent yet</source>
        <translation>
            <numerusform>%n अभी नहीं भेजी गई</numerusform>
            <numerusform>%n अभी नहीं भेजी गईं</numerusform>
        </translation>
    </message>
    <message>
        <source>{pending} · oldest {age}</source>
        <translation>{pending} · सबसे पुरानी {age}</translation>
    </message>
    <message numerus="yes">
        <source>%n operation(s) not yet on the central</source>
        <translation>
            <numerusform>%n प्रविष्टि अभी केंद्रीय सर्वर पर नहीं</numerusform>
            <numerusform>%n प्रविष्टियाँ अभी केंद्रीय सर्वर पर नहीं</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>(%n of them receipts or counter sessions)</source>
        <translation>
            <numerusform>(इनमें %n रसीद या काउंटर सत्र)</numerusform>
            <numerusform>(इनमें %n रसीदें या काउंटर सत्र)</numerusform>
        </translation>
    </message>
    <message>
        <source>the oldest was saved {age} ago</source>
        <translation>सबसे पुरानी {age} पहले सहेजी गई</translation>
    </message>
    <message numerus="yes">
        <source>%n conflict(s)</source>
        <translation>
            <numerusform>%n टकराव</numerusform>
            <numerusform>%n टकराव</numerusform>
        </translation>
    </message>
    <message>
        <source>This PC's clock is {skew} behind the central's.</source>
        <translation>इस कंप्यूटर की घड़ी केंद्रीय सर्वर से {skew} पीछे है।</translation>
    </message>
    <message>
        <source>This PC's clock is {skew} ahead of the central's.</source>
        <translation>इस कंप्यूटर की घड़ी केंद्रीय सर्वर से {skew} आगे है।</translation>
    </message>
    <message>
        <source>Receipts will carry the PC's time.</source>
        <translation>रसीदों पर इसी कंप्यूटर का समय छपेगा।</translation>
    </message>
    <message>
        <source>Ask the supervisor to correct the clock.</source>
        <translation>पर्यवेक्षक से घड़ी ठीक कराएँ।</translation>
    </message>
</context>
<context>
    <name>SyncStatusWidget</name>
    <message>
        <source>Sync now</source>
        <translation>अभी सिंक करें</translation>
    </message>
    <message>
        <source>Send what is waiting to the central and fetch its changes now</source>
        <translation>प्रतीक्षारत प्रविष्टियाँ अभी केंद्रीय सर्वर को भेजें और उसके बदलाव लाएँ</translation>
    </message>
    <message>
        <source>Sync: …</source>
        <translation>सिंक: …</translation>
    </message>
    <message>
        <source>Open the conflicts screen</source>
        <translation>टकराव स्क्रीन खोलें</translation>
    </message>
</context>
<context>
    <name>ConflictsScreen</name>
    <message>
        <source>This PC is not connected to the central: no conflicts.</source>
        <translation>यह कंप्यूटर केंद्रीय सर्वर से नहीं जुड़ा है: कोई टकराव नहीं।</translation>
    </message>
    <message>
        <source>No conflicts: everything this office changed is on the central.</source>
        <translation>कोई टकराव नहीं: इस कार्यालय के सभी बदलाव केंद्रीय सर्वर पर हैं।</translation>
    </message>
    <message>
        <source>Select a conflict on the left.</source>
        <translation>बाईं ओर से एक टकराव चुनें।</translation>
    </message>
    <message>
        <source>{what} {label}: changed here and on the central since {when}</source>
        <translation>{what} {label}: {when} से यहाँ और केंद्रीय सर्वर दोनों पर बदला गया</translation>
    </message>
    <message>
        <source>Keep central's</source>
        <translation>केंद्रीय सर्वर का रखें</translation>
    </message>
    <message>
        <source>Use this office's</source>
        <translation>इस कार्यालय का लें</translation>
    </message>
    <message>
        <source>Conflict resolved; the decision goes to the central with the next sync.</source>
        <translation>टकराव सुलझा; निर्णय अगले सिंक में केंद्रीय सर्वर को जाएगा।</translation>
    </message>
    <message>
        <source>Property</source>
        <translation>संपत्ति</translation>
    </message>
    <message>
        <source>Water connection</source>
        <translation>नल कनेक्शन</translation>
    </message>
    <message>
        <source>Trade licence</source>
        <translation>व्यापार अनुज्ञप्ति</translation>
    </message>
    <message>
        <source>User-charge payer</source>
        <translation>यूजर चार्ज दाता</translation>
    </message>
    <message>
        <source>Sync conflicts</source>
        <translation>सिंक टकराव</translation>
    </message>
    <message>
        <source>These records were changed in this office and on the central at the same time, in the same fields. For each field choose which value stays, then press Resolve.</source>
        <translation>ये अभिलेख इस कार्यालय में और केंद्रीय सर्वर पर एक ही समय, एक ही फ़ील्ड में बदले गए। हर फ़ील्ड के लिए चुनें कि कौन-सा मान रहेगा, फिर सुलझाएँ दबाएँ।</translation>
    </message>
    <message>
        <source>What</source>
        <translation>क्या</translation>
    </message>
    <message>
        <source>Record</source>
        <translation>अभिलेख</translation>
    </message>
    <message>
        <source>Since</source>
        <translation>कब से</translation>
    </message>
    <message>
        <source>Field</source>
        <translation>फ़ील्ड</translation>
    </message>
    <message>
        <source>Before</source>
        <translation>पहले</translation>
    </message>
    <message>
        <source>This office</source>
        <translation>यह कार्यालय</translation>
    </message>
    <message>
        <source>Central</source>
        <translation>केंद्रीय सर्वर</translation>
    </message>
    <message>
        <source>Keep</source>
        <translation>रखें</translation>
    </message>
    <message>
        <source>Resolve</source>
        <translation>सुलझाएँ</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>ताज़ा करें</translation>
    </message>
    <message>
        <source>Property ID</source>
        <translation>संपत्ति क्रमांक</translation>
    </message>
    <message>
        <source>Old property ID</source>
        <translation>पुराना संपत्ति क्रमांक</translation>
    </message>
    <message>
        <source>Ward</source>
        <translation>वार्ड</translation>
    </message>
    <message>
        <source>Zone</source>
        <translation>ज़ोन</translation>
    </message>
    <message>
        <source>Address (English)</source>
        <translation>पता (अंग्रेज़ी)</translation>
    </message>
    <message>
        <source>Address (Hindi)</source>
        <translation>पता (हिन्दी)</translation>
    </message>
    <message>
        <source>Open land (sq ft)</source>
        <translation>खुली भूमि (वर्ग फुट)</translation>
    </message>
    <message>
        <source>Owners</source>
        <translation>स्वामी</translation>
    </message>
    <message>
        <source>Floors and units</source>
        <translation>तल और इकाइयाँ</translation>
    </message>
    <message>
        <source>Self-assessment returns</source>
        <translation>स्व-निर्धारण विवरणी</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>This PC is not connected to the central.</source>
        <translation>यह कंप्यूटर केंद्रीय सर्वर से नहीं जुड़ा है।</translation>
    </message>
    <message>
        <source>Sync with the central now</source>
        <translation>अभी केंद्रीय सर्वर से सिंक करें</translation>
    </message>
    <message>
        <source>S&amp;ync with the central now</source>
        <translation>अभी केंद्रीय सर्वर से सिंक करें (&amp;Y)</translation>
    </message>
</context>
<context>
    <name>Screens</name>
    <message>
        <source>Sync conflicts</source>
        <translation>सिंक टकराव</translation>
    </message>
</context>
</TS>
