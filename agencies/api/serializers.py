from rest_framework import serializers


class AgencyRefSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class MeSerializer(serializers.Serializer):
    client_id = serializers.CharField()
    client_name = serializers.CharField()
    agency = AgencyRefSerializer()
    scopes = serializers.ListField(child=serializers.CharField(), help_text="The scopes of this access token.")


class OfficeSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class AgencyDirectorySerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    offices = OfficeSerializer(many=True)
    accepts_referral_types = serializers.ListField(child=serializers.CharField())
    may_receive_1367_protected = serializers.BooleanField()
