{{- define "ufbrowsers.name" -}}
{{- .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "ufbrowsers.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "ufbrowsers.clusterId" -}}
{{- default .Release.Name .Values.orleans.clusterId -}}
{{- end -}}

{{- define "ufbrowsers.selectorLabels" -}}
app.kubernetes.io/name: {{ include "ufbrowsers.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "ufbrowsers.labels" -}}
{{ include "ufbrowsers.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{- define "ufbrowsers.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "ufbrowsers.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/* An image reference: [registry/]repository:tag, the tag defaulting to the chart's appVersion. */}}
{{- define "ufbrowsers.image" -}}
{{- $root := index . 0 -}}
{{- $image := index . 1 -}}
{{- $repository := $image.repository -}}
{{- with $root.Values.image.registry }}{{ $repository = printf "%s/%s" (trimSuffix "/" .) $repository }}{{ end -}}
{{- printf "%s:%s" $repository (default $root.Chart.AppVersion $image.tag) -}}
{{- end -}}

{{/* Who owns what the control plane creates in the cluster: this release, by namespace and name (a label value). */}}
{{- define "ufbrowsers.owner" -}}
{{- printf "%s.%s" .Release.Namespace (include "ufbrowsers.fullname" .) | trunc 63 | trimSuffix "-" | trimSuffix "." -}}
{{- end -}}

{{- define "ufbrowsers.ownerLabel" -}}ufbrowsers.io/owner{{- end -}}

{{/* The user name Kubernetes gives the control plane's service account. */}}
{{- define "ufbrowsers.serviceAccountUser" -}}
{{- printf "system:serviceaccount:%s:%s" .Release.Namespace (include "ufbrowsers.serviceAccountName" .) -}}
{{- end -}}

{{/* The most control-plane replicas that can run at once. */}}
{{- define "ufbrowsers.maxReplicas" -}}
{{- if .Values.autoscaling.enabled -}}{{ .Values.autoscaling.maxReplicas }}{{- else -}}{{ .Values.replicaCount }}{{- end -}}
{{- end -}}

{{/* Connect URLs signed by one replica must open on every other one, and survive restarts. */}}
{{- define "ufbrowsers.checkSigningKey" -}}
{{- if and (gt (int (include "ufbrowsers.maxReplicas" .)) 1) (not .Values.gateway.signingKey.existingSecret) -}}
{{- fail (printf "gateway.signingKey.existingSecret is empty but up to %s control-plane replicas may run: each would sign connect URLs with its own random key, so a URL made by one replica would be refused by the others and die at every restart. Create a Secret with a key of at least 32 characters (kubectl create secret generic ufbrowsers-gateway --from-literal=signing-key=\"$(openssl rand -hex 32)\") and name it in gateway.signingKey.existingSecret." (include "ufbrowsers.maxReplicas" .)) -}}
{{- end -}}
{{- end -}}
