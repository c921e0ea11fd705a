<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="hi_IN">
    <context>
        <name>Screens</name>
        <message>
            <source>User charges</source>
            <translation>उपयोगकर्ता शुल्क</translation>
        </message>
    </context>
    <context>
        <name>SwmScreen</name>
        <message>
            <source>Household (by built-up area)</source>
            <translation>आवास (निर्मित क्षेत्रफल अनुसार)</translation>
        </message>
        <message>
            <source>BPL / slum household (exempt)</source>
            <translation>बीपीएल / स्लम आवास (छूट)</translation>
        </message>
        <message>
            <source>Shop</source>
            <translation>दुकान</translation>
        </message>
        <message>
            <source>Eatery, dhaba</source>
            <translation>भोजनालय, ढाबा</translation>
        </message>
        <message>
            <source>Hotel, restaurant</source>
            <translation>होटल, रेस्टोरेंट</translation>
        </message>
        <message>
            <source>Office, bank</source>
            <translation>कार्यालय, बैंक</translation>
        </message>
        <message>
            <source>Institution</source>
            <translation>संस्था</translation>
        </message>
        <message>
            <source>Star hotel</source>
            <translation>स्टार होटल</translation>
        </message>
        <message>
            <source>Street vendor (exempt)</source>
            <translation>पथ विक्रेता (छूट)</translation>
        </message>
        <message>
            <source>Active</source>
            <translation>चालू</translation>
        </message>
        <message>
            <source>Closed</source>
            <translation>बंद</translation>
        </message>
        <message>
            <source>Payer ID</source>
            <translation>भुगतानकर्ता क्र.</translation>
        </message>
        <message>
            <source>Name</source>
            <translation>नाम</translation>
        </message>
        <message>
            <source>Ward</source>
            <translation>वार्ड</translation>
        </message>
        <message>
            <source>Category</source>
            <translation>श्रेणी</translation>
        </message>
        <message>
            <source>Property</source>
            <translation>संपत्ति</translation>
        </message>
        <message>
            <source>Billed with property</source>
            <translation>संपत्ति के बिल में</translation>
        </message>
        <message>
            <source>Monthly</source>
            <translation>मासिक</translation>
        </message>
        <message>
            <source>From</source>
            <translation>से</translation>
        </message>
        <message>
            <source>Status</source>
            <translation>स्थिति</translation>
        </message>
        <message>
            <source>Find a payer</source>
            <translation>भुगतानकर्ता खोजें</translation>
        </message>
        <message>
            <source>Register a payer</source>
            <translation>भुगतानकर्ता दर्ज करें</translation>
        </message>
        <message>
            <source>Edit the payer</source>
            <translation>भुगतानकर्ता संपादित करें</translation>
        </message>
        <message>
            <source>Generate a month's user charges</source>
            <translation>माह का उपयोगकर्ता शुल्क लगाएँ</translation>
        </message>
        <message>
            <source>Read the list again</source>
            <translation>सूची फिर से पढ़ें</translation>
        </message>
        <message>
            <source>Yes</source>
            <translation>हाँ</translation>
        </message>
        <message>
            <source>No</source>
            <translation>नहीं</translation>
        </message>
        <message>
            <source>Edit payer %1</source>
            <translation>भुगतानकर्ता %1 संपादित करें</translation>
        </message>
        <message>
            <source>Charge it on the property's bill</source>
            <translation>संपत्ति के बिल में जोड़ें</translation>
        </message>
        <message>
            <source>Name (English)</source>
            <translation>नाम (अंग्रेज़ी)</translation>
        </message>
        <message>
            <source>Name (Hindi)</source>
            <translation>नाम (हिंदी)</translation>
        </message>
        <message>
            <source>Mobile</source>
            <translation>मोबाइल</translation>
        </message>
        <message>
            <source>Address (English)</source>
            <translation>पता (अंग्रेज़ी)</translation>
        </message>
        <message>
            <source>Address (Hindi)</source>
            <translation>पता (हिंदी)</translation>
        </message>
        <message>
            <source>Built-up area (sq ft)</source>
            <translation>निर्मित क्षेत्रफल (वर्ग फुट)</translation>
        </message>
        <message>
            <source>Property ID (if linked)</source>
            <translation>संपत्ति क्र. (यदि जुड़ी हो)</translation>
        </message>
        <message>
            <source>Charged from month</source>
            <translation>शुल्क किस माह से</translation>
        </message>
        <message>
            <source>Built-up area: %1 is not a number</source>
            <translation>निर्मित क्षेत्रफल: %1 संख्या नहीं है</translation>
        </message>
        <message>
            <source>Generate user charges</source>
            <translation>उपयोगकर्ता शुल्क लगाएँ</translation>
        </message>
        <message>
            <source>Month (e.g. 2026-11)</source>
            <translation>माह (जैसे 2026-11)</translation>
        </message>
        <message>
            <source>Raises the month's user charge for every active payer charged from that month or earlier. Exempt categories raise nothing; charges already raised are left as they are.</source>
            <translation>उस माह या पहले से शुल्क वाले हर चालू भुगतानकर्ता पर माह का उपयोगकर्ता शुल्क लगता है। छूट वाली श्रेणियों पर कुछ नहीं लगता; पहले से लगे शुल्क यथावत रहते हैं।</translation>
        </message>
        <message>
            <source>User charges</source>
            <translation>उपयोगकर्ता शुल्क</translation>
        </message>
        <message>
            <source>Payer ID, name, mobile or property ID</source>
            <translation>भुगतानकर्ता क्र., नाम, मोबाइल या संपत्ति क्र.</translation>
        </message>
        <message>
            <source>Register (Ctrl+N)</source>
            <translation>दर्ज करें (Ctrl+N)</translation>
        </message>
        <message>
            <source>Edit (Ctrl+E)</source>
            <translation>संपादित करें (Ctrl+E)</translation>
        </message>
        <message>
            <source>Close payer</source>
            <translation>भुगतानकर्ता बंद करें</translation>
        </message>
        <message>
            <source>Generate month (Ctrl+G)</source>
            <translation>माह का शुल्क (Ctrl+G)</translation>
        </message>
        <message>
            <source>%1 payers shown</source>
            <translation>%1 भुगतानकर्ता दिखाए गए</translation>
        </message>
        <message>
            <source>Choose a payer in the list first.</source>
            <translation>पहले सूची में भुगतानकर्ता चुनें।</translation>
        </message>
        <message>
            <source>Saved payer %1</source>
            <translation>भुगतानकर्ता %1 सहेजा गया</translation>
        </message>
        <message>
            <source>Payer %1 closed: no further months are charged.</source>
            <translation>भुगतानकर्ता %1 बंद: आगे के माह का शुल्क नहीं लगेगा।</translation>
        </message>
        <message>
            <source>%1: %2 charges raised (%3); %4 had it already; %5 exempt.</source>
            <translation>%1: %2 शुल्क लगाए गए (%3); %4 पर पहले से था; %5 छूट।</translation>
        </message>
    </context>
</TS>
